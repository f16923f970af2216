using Egov.Steering.Decisions.V1;
using Egov.Steering.Membership.V1;
using Egov.Steering.Types.V1;
using Google.Type;

namespace Egov.Steering.AllInOne.Tests;

/// <summary>The article's facts, answered by a sandbox started from a clean folder.</summary>
public sealed class SampleDataTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private MembershipService.MembershipServiceClient Membership => new(sandbox.Channel);

    [Fact]
    public async Task Gia_Lai_has_17_members_at_the_end_of_2020_with_the_articles_officers()
    {
        var view = await Membership.GetCommitteeViewAsync(
            new GetCommitteeViewRequest { Committee = $"committees/{SampleCommittees.GiaLai}", AsOf = new Date { Year = 2020, Month = 12, Day = 31 } },
            sandbox.Reader);

        Assert.Equal(17, view.Memberships.Count);
        Assert.Equal("posts/gia-lai-2020-chu-tich-ubnd", Single(view, MembershipRole.Chair).Post);
        Assert.Equal("posts/gia-lai-2020-pho-chu-tich-ubnd-tttt", Single(view, MembershipRole.ViceChair).Post);
        var standing = Single(view, MembershipRole.StandingMember);
        Assert.Equal("posts/gia-lai-2020-giam-doc-so-tttt", standing.Post);
        Assert.Contains(MembershipRole.Secretary, standing.Roles);
    }

    [Fact]
    public async Task Gia_Lai_had_15_members_under_decision_337_before_the_2020_addition()
    {
        var view = await Membership.GetCommitteeViewAsync(
            new GetCommitteeViewRequest { Committee = $"committees/{SampleCommittees.GiaLai}", AsOf = new Date { Year = 2019, Month = 12, Day = 31 } },
            sandbox.Reader);

        Assert.Equal(15, view.Memberships.Count);
    }

    [Fact]
    public async Task The_national_committee_has_19_members_after_decision_701_led_by_the_articles_people()
    {
        var view = await Membership.GetCommitteeViewAsync(
            new GetCommitteeViewRequest { Committee = $"committees/{SampleCommittees.National}", AsOf = new Date { Year = 2020, Month = 6, Day = 1 } },
            sandbox.Reader);

        Assert.Equal(19, view.Memberships.Count);
        Assert.Equal("Nguyễn Xuân Phúc", Single(view, MembershipRole.Chair).PersonDisplayName);
        Assert.Equal("Vũ Đức Đam", Single(view, MembershipRole.StandingViceChair).PersonDisplayName);
        Assert.Equal("Nguyễn Mạnh Hùng", Single(view, MembershipRole.ViceChair).PersonDisplayName);
    }

    [Theory]
    [InlineData(2021, 9, 23, "Ủy ban Quốc gia về Chính phủ điện tử")]
    [InlineData(2021, 9, 24, "Ủy ban Quốc gia về chuyển đổi số")]
    public async Task The_national_committee_takes_its_2021_name_from_decision_1619(int year, int month, int day, string expected)
    {
        var committee = await Membership.GetCommitteeAsync(
            new GetCommitteeRequest { Name = $"committees/{SampleCommittees.National}", AsOf = new Date { Year = year, Month = month, Day = day } },
            sandbox.Reader);

        Assert.Equal(expected, committee.DisplayName);
    }

    [Fact]
    public async Task Every_sample_decision_was_applied_and_the_undated_one_says_so()
    {
        var decisions = new DecisionsService.DecisionsServiceClient(sandbox.Channel);
        var list = await decisions.ListDecisionsAsync(new ListDecisionsRequest { PageSize = 100 }, sandbox.Reader);

        Assert.Equal(6, list.Decisions.Count);
        Assert.All(list.Decisions, decision => Assert.Equal(DecisionState.Applied, decision.State));
        var addition = Assert.Single(list.Decisions, decision => decision.Name == "decisions/gia-lai-2020-bo-sung");
        Assert.Empty(addition.Number);
        Assert.Equal(DatePrecision.Year, addition.EffectiveDate.Precision);
        // The article has no known address: it is cited by title, naming the repository copy.
        Assert.Contains("source-article.txt", addition.Source.Title);
    }

    [Theory]
    [InlineData(2020, SampleCommittees.GiaLai, "province-2020-64")]
    [InlineData(2026, SampleCommittees.GiaLai2025, "province-2025-52")]
    public async Task Gia_Lai_is_the_2020_province_committee_before_the_2025_merger_and_the_new_provinces_after(int year, string committee, string jurisdiction)
    {
        var list = await Membership.ListCommitteesAsync(
            new ListCommitteesRequest { Query = "Gia Lai", Levels = { CommitteeLevel.Province }, AsOf = new Date { Year = year, Month = 1, Day = 1 } },
            sandbox.Reader);

        var giaLai = Assert.Single(list.Committees);
        Assert.Equal($"committees/{committee}", giaLai.Name);
        Assert.Equal(jurisdiction, giaLai.Jurisdiction);
    }

    [Fact]
    public async Task The_2020_Gia_Lai_committee_is_merged_into_the_new_provinces_from_2025_07_01_without_invented_members()
    {
        var merged = await Membership.GetCommitteeAsync(
            new GetCommitteeRequest { Name = $"committees/{SampleCommittees.GiaLai}", AsOf = new Date { Year = 2025, Month = 7, Day = 1 } },
            sandbox.Reader);
        var successor = await Membership.GetCommitteeViewAsync(
            new GetCommitteeViewRequest { Committee = $"committees/{SampleCommittees.GiaLai2025}", AsOf = new Date { Year = 2026, Month = 1, Day = 1 } },
            sandbox.Reader);

        Assert.Equal(CommitteeState.Merged, merged.State);
        Assert.Equal($"committees/{SampleCommittees.GiaLai2025}", merged.Successor);
        Assert.Empty(successor.Memberships);
    }

    private static CommitteeMembership Single(CommitteeView view, MembershipRole role) =>
        Assert.Single(view.Memberships, membership => membership.Roles.Contains(role));
}
