using Egov.Steering.Membership.V1;
using Egov.Steering.Types.V1;
using Google.Type;

namespace Egov.Steering.AllInOne.Tests.Fidelity;

/// <summary>
/// What the register knows, and until when, read through the public API of a sandbox started from a clean folder,
/// against the source article and the reference decisions: a year-only date is a period bounded by its legal basis,
/// a consolidation does not found a committee, each committee says up to when a source confirms it, and an as-of
/// read shows only what is true on its date.
/// </summary>
public sealed class DatesTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const string BacLieu = "committees/bac-lieu-2020-e-government";
    private static readonly string GiaLai = $"committees/{SampleCommittees.GiaLai}";
    private static readonly string National = $"committees/{SampleCommittees.National}";

    private MembershipService.MembershipServiceClient Membership => new(sandbox.Channel);

    [Fact]
    public async Task On_2019_06_19_Gia_Lais_committee_existed_though_its_record_starts_with_337_the_next_day()
    {
        var view = await ViewAsync(GiaLai, 2019, 6, 19);

        // 337/2019 is a kiện toàn: the committee existed before it, since a date the article does not give.
        Assert.Equal(CommitteeState.NotRecorded, view.Committee.State);
        Assert.Null(view.Committee.FoundingDate);
        Assert.Empty(view.Committee.FoundingDecision);
        Assert.Equal(new CivilDate { Year = 2019, Month = 6, Day = 20, Precision = DatePrecision.Day }, view.Committee.RecordStartDate);
        Assert.Empty(view.Memberships);
    }

    [Fact]
    public async Task On_2020_05_25_Gia_Lai_has_the_15_seats_of_337_the_directors_added_under_701_cannot_sit_yet()
    {
        var view = await ViewAsync(GiaLai, 2020, 5, 25);

        Assert.Equal(15, view.Memberships.Count);
        Assert.Equal(15, view.MemberCount);
        Assert.Equal(0, view.UncertainMemberCount);
        Assert.DoesNotContain(view.Memberships, m => m.Post is "posts/gia-lai-2020-giam-doc-so-xd" or "posts/gia-lai-2020-giam-doc-so-ct");
    }

    [Fact]
    public async Task In_mid_2020_the_two_directors_added_in_2020_are_uncertain_and_bounded_by_701()
    {
        var view = await ViewAsync(GiaLai, 2020, 6, 15);

        Assert.Equal(15, view.MemberCount);
        Assert.Equal(2, view.UncertainMemberCount);
        var directors = view.Memberships.Where(m => m.Post is "posts/gia-lai-2020-giam-doc-so-xd" or "posts/gia-lai-2020-giam-doc-so-ct").ToList();
        Assert.Equal(2, directors.Count);
        Assert.All(directors, director =>
        {
            Assert.Equal(Certainty.Uncertain, director.Certainty);
            Assert.Equal(new Date { Year = 2020, Month = 5, Day = 26 }, director.StartNotBefore);
        });
        var overview = await Membership.GetNationalOverviewAsync(new GetNationalOverviewRequest { AsOf = new Date { Year = 2020, Month = 6, Day = 15 } }, sandbox.Reader);
        var row = Assert.Single(overview.Rows, r => r.Committee == GiaLai);
        Assert.Equal((15, 2), (row.MemberCount, row.UncertainMemberCount));
    }

    [Fact]
    public async Task On_2020_12_31_Gia_Lai_certainly_has_17_members_and_shows_no_end_or_successor_while_active()
    {
        var view = await ViewAsync(GiaLai, 2020, 12, 31);

        Assert.Equal(CommitteeState.Active, view.Committee.State);
        Assert.Equal((17, 0), (view.MemberCount, view.UncertainMemberCount));
        Assert.All(view.Memberships, m => Assert.Equal(Certainty.Certain, m.Certainty));
        Assert.Null(view.Committee.EndDate);
        Assert.Empty(view.Committee.Successor);
        Assert.False(view.Committee.BeyondConfirmedRecord);
        Assert.Equal(new CivilDate { Year = 2020, Precision = DatePrecision.Year }, view.Committee.ConfirmedThrough);
    }

    [Fact]
    public async Task On_2020_12_31_the_national_committee_shows_only_the_name_it_had_then()
    {
        var committee = await Membership.GetCommitteeAsync(
            new GetCommitteeRequest { Name = National, AsOf = new Date { Year = 2020, Month = 12, Day = 31 } }, sandbox.Reader);

        var name = Assert.Single(committee.Names);
        Assert.Equal("Ủy ban Quốc gia về Chính phủ điện tử", name.DisplayName);
        Assert.Null(name.EndDate);
    }

    [Fact]
    public async Task The_provinces_the_article_says_consolidated_in_2020_existed_before_with_their_founding_unknown()
    {
        var during = await ViewAsync(BacLieu, 2020, 6, 15);
        var after = await ViewAsync(BacLieu, 2020, 12, 31);

        Assert.Equal(CommitteeState.NotRecorded, during.Committee.State);
        Assert.Equal(CommitteeState.Active, after.Committee.State);
        Assert.Null(after.Committee.FoundingDate);
        Assert.Equal(new CivilDate { Year = 2020, Precision = DatePrecision.Year }, after.Committee.RecordStartDate);
        var overview = await Membership.GetNationalOverviewAsync(new GetNationalOverviewRequest { AsOf = new Date { Year = 2020, Month = 6, Day = 15 } }, sandbox.Reader);
        Assert.Equal(CommitteeState.NotRecorded, Assert.Single(overview.Rows, r => r.Committee == BacLieu).CommitteeState);
    }

    [Theory]
    [InlineData(2021, 10, 1)]
    [InlineData(2023, 6, 1)]
    [InlineData(2026, 1, 1)]
    public async Task After_1619_no_recorded_source_confirms_the_national_committee_and_reads_say_so(int year, int month, int day)
    {
        var view = await ViewAsync(National, year, month, day);

        Assert.True(view.Committee.BeyondConfirmedRecord);
        Assert.Equal(new CivilDate { Year = 2021, Month = 9, Day = 24, Precision = DatePrecision.Day }, view.Committee.ConfirmedThrough);
    }

    [Fact]
    public async Task On_2021_09_24_the_national_committee_is_confirmed_by_1619()
    {
        var view = await ViewAsync(National, 2021, 9, 24);

        Assert.False(view.Committee.BeyondConfirmedRecord);
    }

    [Theory]
    [InlineData(2021, 10, 1)]
    [InlineData(2023, 6, 1)]
    public async Task After_2020_no_recorded_source_confirms_Gia_Lais_committee_and_reads_say_so(int year, int month, int day)
    {
        var view = await ViewAsync(GiaLai, year, month, day);

        Assert.True(view.Committee.BeyondConfirmedRecord);
        var overview = await Membership.GetNationalOverviewAsync(new GetNationalOverviewRequest { AsOf = new Date { Year = year, Month = month, Day = day } }, sandbox.Reader);
        Assert.True(Assert.Single(overview.Rows, r => r.Committee == GiaLai).BeyondConfirmedRecord);
    }

    [Fact]
    public async Task On_2026_01_01_Gia_Lais_2020_committee_has_ended_which_is_not_beyond_its_record()
    {
        var view = await ViewAsync(GiaLai, 2026, 1, 1);

        Assert.NotEqual(CommitteeState.Active, view.Committee.State);
        Assert.NotNull(view.Committee.EndDate);
        Assert.False(view.Committee.BeyondConfirmedRecord);
    }

    private Task<CommitteeView> ViewAsync(string committee, int year, int month, int day) =>
        Membership.GetCommitteeViewAsync(
            new GetCommitteeViewRequest { Committee = committee, AsOf = new Date { Year = year, Month = month, Day = day } }, sandbox.Reader).ResponseAsync;
}
