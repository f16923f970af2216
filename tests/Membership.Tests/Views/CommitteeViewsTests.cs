using Egov.Steering.Events.V1;
using Egov.Steering.Membership.Tests.Events;
using Egov.Steering.Membership.V1;
using Egov.Steering.ServiceDefaults.Errors;
using static Egov.Steering.Membership.Tests.Events.IssuedDecisions;
using DecisionKind = Egov.Steering.Decisions.V1.DecisionKind;
using Level = Egov.Steering.Types.V1.CommitteeLevel;
using Role = Egov.Steering.Types.V1.MembershipRole;
using Egov.Steering.TestSupport;

namespace Egov.Steering.Membership.Tests.Views;

/// <summary>
/// The committee views and the national overview as of a date, through the cache, on the real PostgreSQL and Redis,
/// with the register built by decisions applied from the bus: Gia Lai (64) and Bình Định merged into the new Gia Lai
/// (52) on 2025-07-01.
/// </summary>
public sealed class CommitteeViewsTests : IAsyncLifetime
{
    private static readonly DateOnly BeforeMerger = new(2025, 6, 30);
    private static readonly DateOnly MergerDay = new(2025, 7, 1);

    private MembershipHost host = null!;

    public async Task InitializeAsync()
    {
        host = await MembershipHost.StartAsync();
        using var scope = host.Scope(out var db);
        await SeedPostsAndPeopleAsync(db);
        await ApplyAsync(Issued("qd-337-ubnd-2019", "337/QĐ-UBND", GiaLai, Day(2019, 6, 20), [DecisionKind.Establish],
            Establish("bcd-gia-lai", "Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai", GiaLai),
            AssignHolder("chu-tich-gia-lai", "vo-ngoc-thanh"),
            AppointPost("bcd-gia-lai", "chu-tich-gia-lai", Role.Chair),
            AppointPost("bcd-gia-lai", "giam-doc-stttt-gia-lai", Role.StandingMember, Role.Secretary)));
        await ApplyAsync(Issued("qd-1-ubnd-2019", "1/QĐ-UBND", BinhDinh, Day(2019, 3, 1), [DecisionKind.Establish],
            Establish("bcd-binh-dinh", "Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Bình Định", BinhDinh),
            AppointPost("bcd-binh-dinh", "chu-tich-binh-dinh", Role.Chair)));
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Reads_as_of_a_date_answer_as_of_then_across_the_2025_merger()
    {
        await ApplyMergerAsync();

        var before = await CommitteeViewAsync("bcd-gia-lai", BeforeMerger);
        Assert.Equal(CommitteeState.Active, before.Committee.State);
        Assert.Equal(["Chủ tịch UBND tỉnh Gia Lai", "Giám đốc Sở Thông tin và Truyền thông tỉnh Gia Lai"], before.Memberships.Select(m => m.PostDisplayName));
        Assert.Equal("Võ Ngọc Thành", before.Memberships[0].PersonDisplayName);
        Assert.Equal(new Google.Type.Date { Year = 2025, Month = 6, Day = 30 }, before.AsOf);

        var after = await CommitteeViewAsync("bcd-gia-lai", MergerDay);
        Assert.Equal(CommitteeState.Merged, after.Committee.State);
        Assert.Equal("committees/bcd-gia-lai-2025", after.Committee.Successor);
        Assert.Empty(after.Memberships);

        var successor = await CommitteeViewAsync("bcd-gia-lai-2025", MergerDay);
        Assert.Equal(CommitteeState.Active, successor.Committee.State);
        Assert.Equal(["committees/bcd-binh-dinh", "committees/bcd-gia-lai"], successor.Committee.Predecessors);
        Assert.Equal(["Chủ tịch UBND tỉnh Gia Lai"], successor.Memberships.Select(m => m.PostDisplayName));
        Assert.Equal(CommitteeState.Planned, (await CommitteeViewAsync("bcd-gia-lai-2025", BeforeMerger)).Committee.State);
    }

    [Fact]
    public async Task The_national_overview_lists_the_63_provinces_before_the_merger_and_the_34_after_with_or_without_a_committee()
    {
        await ApplyMergerAsync();

        var before = await OverviewAsync(BeforeMerger);
        var provincesBefore = before.Rows.Where(r => r.Level == Level.Province).ToList();
        Assert.Equal(63, provincesBefore.Count);
        var giaLai = Assert.Single(provincesBefore, r => r.Organisation == GiaLai);
        Assert.Equal("committees/bcd-gia-lai", giaLai.Committee);
        Assert.Equal(2, giaLai.MemberCount);
        Assert.Equal("Chủ tịch UBND tỉnh Gia Lai", giaLai.ChairPostDisplayName);
        Assert.Equal("Võ Ngọc Thành", giaLai.ChairDisplayName);
        Assert.NotEqual(ComplianceStatus.Unspecified, giaLai.ComplianceStatus);
        Assert.Equal(61, provincesBefore.Count(r => r.Committee.Length == 0)); // registered: Gia Lai and Bình Định only
        Assert.Equal(ComplianceStatus.Unspecified, provincesBefore.First(r => r.Committee.Length == 0).ComplianceStatus);

        var after = await OverviewAsync(MergerDay);
        var provincesAfter = after.Rows.Where(r => r.Level == Level.Province).ToList();
        Assert.Equal(34, provincesAfter.Count);
        Assert.DoesNotContain(provincesAfter, r => r.Organisation == GiaLai || r.Organisation == BinhDinh);
        Assert.Equal("committees/bcd-gia-lai-2025", Assert.Single(provincesAfter, r => r.Organisation == NewGiaLai).Committee);

        // Ministries first, then provinces.
        Assert.Equal(after.Rows.OrderBy(r => r.Level == Level.Ministry ? 0 : 1).Select(r => r.Organisation), after.Rows.Select(r => r.Organisation));
        Assert.Contains(after.Rows, r => r.Level == Level.Ministry);
    }

    [Fact]
    public async Task After_a_decision_is_applied_the_next_read_of_a_cached_view_shows_it()
    {
        var overviewBefore = await OverviewAsync(MergerDay);
        Assert.Equal("", overviewBefore.Rows.Single(r => r.Organisation == NewGiaLai).Committee);
        // Their provinces ceased that day: without the merger decision the committees ended with them, not merged.
        var viewBefore = await CommitteeViewAsync("bcd-gia-lai", MergerDay);
        Assert.Equal(CommitteeState.JurisdictionEnded, viewBefore.Committee.State);
        Assert.Equal(CommitteeState.JurisdictionEnded, (await CommitteeViewAsync("bcd-binh-dinh", MergerDay)).Committee.State);

        await ApplyMergerAsync();

        Assert.Equal("committees/bcd-gia-lai-2025", (await OverviewAsync(MergerDay)).Rows.Single(r => r.Organisation == NewGiaLai).Committee);
        Assert.Equal(CommitteeState.Merged, (await CommitteeViewAsync("bcd-gia-lai", MergerDay)).Committee.State);
        Assert.Equal(CommitteeState.Merged, (await CommitteeViewAsync("bcd-binh-dinh", MergerDay)).Committee.State);
    }

    [Fact]
    public async Task An_unknown_committee_is_not_found()
    {
        var error = await Assert.ThrowsAsync<ResourceNotFoundException>(() => CommitteeViewAsync("no-such-committee", MergerDay));
        Assert.Contains("committees/no-such-committee", error.Message, StringComparison.Ordinal);
    }

    private Task ApplyMergerAsync() => ApplyAsync(Issued("nq-202-2025", "202/2025/QH15", "national", Day(2025, 7, 1), [DecisionKind.Merge, DecisionKind.Establish],
        new Egov.Steering.Types.V1.Change
        {
            EstablishCommittee = new Egov.Steering.Types.V1.EstablishCommittee
            {
                CommitteeId = "bcd-gia-lai-2025",
                DisplayName = "Ban chỉ đạo chuyển đổi số tỉnh Gia Lai",
                Level = Level.Province,
                Jurisdiction = NewGiaLai,
                MandateTopics = { Egov.Steering.Types.V1.MandateTopic.DigitalTransformation },
            },
        },
        Merge("bcd-gia-lai-2025", "bcd-gia-lai", "bcd-binh-dinh"),
        AppointPost("bcd-gia-lai-2025", "chu-tich-gia-lai-2025", Role.Chair)));

    private async Task ApplyAsync(EventEnvelope issued)
    {
        await host.PublishAsync(issued);
        EventEnvelope? outcome = null;
        await Eventually.WaitUntilAsync(
            () => (outcome = host.Events.CausedBy(issued).FirstOrDefault(e =>
                e.EventCase is EventEnvelope.EventOneofCase.DecisionApplied or EventEnvelope.EventOneofCase.DecisionRejected)) is not null,
            "the outcome of " + issued.Subject);
        Assert.True(outcome!.EventCase == EventEnvelope.EventOneofCase.DecisionApplied, outcome.ToString());
    }

    private Task<CommitteeView> CommitteeViewAsync(string committeeId, DateOnly asOf) =>
        host.ReadViewAsync(views => views.GetCommitteeViewAsync(committeeId, asOf, CancellationToken.None));

    private Task<NationalOverview> OverviewAsync(DateOnly asOf) =>
        host.ReadViewAsync(views => views.GetNationalOverviewAsync(asOf, CancellationToken.None));
}
