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

        Assert.Equal(5, list.Decisions.Count);
        Assert.All(list.Decisions, decision => Assert.Equal(DecisionState.Applied, decision.State));
        var addition = Assert.Single(list.Decisions, decision => decision.Name == "decisions/gia-lai-2020-bo-sung");
        Assert.Empty(addition.Number);
        Assert.Equal(DatePrecision.Year, addition.EffectiveDate.Precision);
        Assert.NotEmpty(addition.Source.Uri);
    }

    private static CommitteeMembership Single(CommitteeView view, MembershipRole role) =>
        Assert.Single(view.Memberships, membership => membership.Roles.Contains(role));
}
