using Egov.Steering.Events.V1;
using Egov.Steering.Membership.Compliance;
using Egov.Steering.Membership.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Egov.Steering.Membership.Tests.Events.IssuedDecisions;
using DecisionKind = Egov.Steering.Decisions.V1.DecisionKind;
using Role = Egov.Steering.Types.V1.MembershipRole;
using Egov.Steering.TestSupport;

namespace Egov.Steering.Membership.Tests.Events;

/// <summary>
/// Compliance is re-evaluated when a decision changes a committee, when an admin changes the rules, and when a
/// future-dated change takes effect (midnight in Vietnam); each flip is a ComplianceChanged on the committee's
/// aggregate, and the cached view follows.
/// </summary>
public sealed class ComplianceRecomputationTests : IAsyncLifetime
{
    // 10:00 in Vietnam on 2020-06-10.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2020, 6, 10, 3, 0, 0, TimeSpan.Zero));
    private MembershipHost host = null!;

    public async Task InitializeAsync()
    {
        host = await MembershipHost.StartAsync(clock);
        using var scope = host.Scope(out var db);
        await SeedPostsAndPeopleAsync(db);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task A_consolidation_dated_in_the_future_makes_the_committee_compliant_from_that_midnight_on()
    {
        var founding = await ApplyAsync(FoundGiaLai());
        var first = (await ComplianceChangesAsync(1))[0];
        Assert.Equal(ComplianceStatus.NotCompliant, first.ComplianceChanged.Compliance.Status);
        Assert.Equal(founding.CorrelationId, first.CorrelationId);

        // Kiện toàn effective in five days: signed now, in force from 2020-06-15.
        await ApplyAsync(WithSubject(Issued("qd-15-ubnd-2020", "15/QĐ-UBND", GiaLai, Day(2020, 6, 15), [DecisionKind.Consolidate]), "bcd-gia-lai"));
        var today = await ViewAsync();
        Assert.Equal(ComplianceStatus.NotCompliant, today.Compliance.Status);
        Assert.Equal("", today.LastConsolidationNumber);

        clock.SetUtcNow(new DateTimeOffset(2020, 6, 15, 0, 0, 5, TimeSpan.FromHours(7)));

        var flip = (await ComplianceChangesAsync(2))[1];
        Assert.Equal(ComplianceStatus.NotCompliant, flip.ComplianceChanged.PreviousStatus);
        Assert.Equal(ComplianceStatus.Compliant, flip.ComplianceChanged.Compliance.Status);
        Assert.Equal("", flip.CausationId);
        Assert.Equal(flip.Id, flip.CorrelationId);
        var rolledOver = await ViewAsync();
        Assert.Equal("15/QĐ-UBND", rolledOver.LastConsolidationNumber);
        Assert.Equal(ComplianceStatus.Compliant, rolledOver.Compliance.Status);
        Assert.Equal(new Google.Type.Date { Year = 2020, Month = 6, Day = 15 }, rolledOver.AsOf);
    }

    [Fact]
    public async Task Disabling_a_rule_re_evaluates_every_committee_and_the_cached_view_follows()
    {
        await ApplyAsync(FoundGiaLai());
        Assert.Equal(ComplianceStatus.NotCompliant, (await ViewAsync()).Compliance.Status);

        // What UpdateComplianceRule does inside its write transaction.
        await using (var scope = host.Scope(out var db))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var rule = await db.ComplianceRules.SingleAsync(r => r.Id == "consolidated-after-701");
            rule.Enabled = false;
            rule.Touch();
            var flipped = await scope.ServiceProvider.GetRequiredService<ComplianceRecalculator>().RecomputeAllAsync();
            Assert.Equal(["bcd-gia-lai"], flipped);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        var view = await ViewAsync();
        Assert.Equal(ComplianceStatus.Compliant, view.Compliance.Status);
        Assert.DoesNotContain(view.Compliance.Findings, f => f.Rule == "complianceRules/consolidated-after-701");
        var flip = (await ComplianceChangesAsync(2))[1];
        Assert.Equal(ComplianceStatus.Compliant, flip.ComplianceChanged.Compliance.Status);
        Assert.Equal(view.Committee.Version, flip.AggregateVersion);
    }

    private static EventEnvelope FoundGiaLai() => Issued("qd-337-ubnd-2019", "337/QĐ-UBND", GiaLai, Day(2019, 6, 20), [DecisionKind.Establish],
        Establish("bcd-gia-lai", "Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai", GiaLai),
        AppointPost("bcd-gia-lai", "chu-tich-gia-lai", Role.Chair),
        AppointPost("bcd-gia-lai", "giam-doc-stttt-gia-lai", Role.StandingMember, Role.Secretary));

    private static EventEnvelope WithSubject(EventEnvelope issued, string committeeId)
    {
        issued.DecisionIssued.Decision.SubjectCommittees.Add("committees/" + committeeId);
        return issued;
    }

    private async Task<EventEnvelope> ApplyAsync(EventEnvelope issued)
    {
        await host.PublishAsync(issued);
        EventEnvelope? outcome = null;
        await Eventually.WaitUntilAsync(
            () => (outcome = host.Events.CausedBy(issued).FirstOrDefault(e => e.EventCase == EventEnvelope.EventOneofCase.DecisionApplied)) is not null,
            "DecisionApplied for " + issued.Subject);
        return issued;
    }

    private async Task<IReadOnlyList<EventEnvelope>> ComplianceChangesAsync(int count)
    {
        IReadOnlyList<EventEnvelope> changes = [];
        await Eventually.WaitUntilAsync(
            () => (changes = host.Events.All
                .Where(e => e.EventCase == EventEnvelope.EventOneofCase.ComplianceChanged && e.Aggregate == "committees/bcd-gia-lai")
                .DistinctBy(e => e.Id)
                .OrderBy(e => e.AggregateVersion)
                .ToList()).Count >= count,
            $"{count} ComplianceChanged");
        return changes;
    }

    private Task<CommitteeView> ViewAsync() =>
        host.ReadViewAsync(views => views.GetCommitteeViewAsync("bcd-gia-lai", null, CancellationToken.None));
}
