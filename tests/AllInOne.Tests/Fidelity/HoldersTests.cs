using Egov.Steering.Decisions.V1;
using Egov.Steering.Membership.V1;
using Egov.Steering.Types.V1;
using Google.Type;

namespace Egov.Steering.AllInOne.Tests.Fidelity;

/// <summary>
/// The national committee's office holders, the 2021 re-formation, the 2025 provinces and compliance as of a date,
/// read from outside through the public gRPC API against the source article and the reference data
/// (services/BuildingBlocks/ReferenceData/Data: office_holders.csv, decisions.csv, provinces_2020/2025.csv).
/// </summary>
public sealed class HoldersTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const string National = $"committees/{SampleCommittees.National}";
    private const string GiaLai = $"committees/{SampleCommittees.GiaLai}";

    private MembershipService.MembershipServiceClient Membership => new(sandbox.Channel);

    [Theory]
    [InlineData(2020, 12, 31, "Nguyễn Xuân Phúc")]
    [InlineData(2021, 4, 5, "Phạm Minh Chính")]
    [InlineData(2021, 10, 1, "Phạm Minh Chính")]
    [InlineData(2023, 6, 1, "Phạm Minh Chính")]
    public async Task The_chair_is_whoever_held_the_prime_ministers_office_on_the_date(int year, int month, int day, string chair)
    {
        var view = await ViewAsync(National, year, month, day);

        var seat = Single(view, MembershipRole.Chair);
        Assert.Equal(("posts/thu-tuong-chinh-phu", chair, false), (seat.Post, seat.PersonDisplayName, seat.HolderNotKnown));
    }

    [Fact]
    public async Task Decision_1619_re_formed_the_committee_with_16_seats_by_office_and_renamed_it()
    {
        var before = await ViewAsync(National, 2021, 9, 23);
        var after = await ViewAsync(National, 2021, 10, 1);
        var decision = await new DecisionsService.DecisionsServiceClient(sandbox.Channel).GetDecisionAsync(
            new GetDecisionRequest { Name = "decisions/qd-1619-2021-ttg" }, sandbox.Reader);

        Assert.Equal(19, before.Memberships.Count);
        Assert.Equal(16, after.Memberships.Count);
        Assert.All(after.Memberships, seat => Assert.Empty(seat.Person));
        // The two ministers 701 added by office keep their seats; the other 14 are 1619's.
        Assert.Equal(14, after.Memberships.Count(seat => seat.AppointingDecision == "decisions/qd-1619-2021-ttg"));
        Assert.Equal(
            ["posts/bo-truong-bct", "posts/bo-truong-bxd"],
            after.Memberships.Where(seat => seat.AppointingDecision == "decisions/qd-701-2020-ttg").Select(seat => seat.Post).Order(StringComparer.Ordinal));
        Assert.Equal("Ủy ban Quốc gia về chuyển đổi số", after.Committee.DisplayName);
        Assert.Equal([DecisionKind.Consolidate, DecisionKind.Rename], decision.Kinds.Order());
        Assert.Equal("1619/QĐ-TTg", after.LastConsolidationNumber);
    }

    [Fact]
    public async Task Decision_1072_seats_the_offices_and_people_its_source_names_and_no_others()
    {
        var view = await ViewAsync(National, 2018, 9, 1);

        Assert.Equal(("Nguyễn Xuân Phúc", "posts/thu-tuong-chinh-phu"), (Single(view, MembershipRole.Chair).PersonDisplayName, Single(view, MembershipRole.Chair).Post));
        Assert.Equal("Vũ Đức Đam", Single(view, MembershipRole.ViceChair).PersonDisplayName);
        var secretaryGeneral = Single(view, MembershipRole.StandingMember);
        Assert.Equal(("posts/bo-truong-chu-nhiem-vpcp", "Tổng Thư ký"), (secretaryGeneral.Post, secretaryGeneral.OtherRole));
        // "Several ministers" are not counted by the source: no seat is made up for them.
        Assert.Equal(
            ["posts/nguoi-dung-dau-fpt", "posts/nguoi-dung-dau-viettel", "posts/nguoi-dung-dau-vnpost", "posts/nguoi-dung-dau-vnpt",
             "posts/thu-truong-bnv", "posts/thu-truong-btttt", "posts/truong-ban-co-yeu-chinh-phu"],
            view.Memberships.Where(m => m.Roles.SequenceEqual([MembershipRole.Member])).Select(m => m.Post).Order(StringComparer.Ordinal));
        Assert.Equal(10, view.Memberships.Count);
        Assert.Empty(view.WorkingGroups);
    }

    [Fact]
    public async Task Decision_1201_places_the_working_group_at_the_ministry_and_701_makes_its_minister_the_leader()
    {
        var after1201 = await ViewAsync(National, 2019, 10, 1);
        var after701 = await ViewAsync(National, 2020, 6, 1);

        Assert.Equal("Vũ Đức Đam", Single(after1201, MembershipRole.StandingViceChair).PersonDisplayName);
        // 1201 names the office, not its holder then (office_holders.csv has no start for Nguyễn Mạnh Hùng).
        var viceChair = Single(after1201, MembershipRole.ViceChair);
        Assert.Equal(("posts/bo-truong-btttt", true), (viceChair.Post, viceChair.HolderNotKnown));
        Assert.Equal("ministry-btttt", after1201.Committee.FocalAgency.Organisation);
        var group = Assert.Single(after1201.WorkingGroups);
        Assert.Equal(("decisions/qd-1201-2019-ttg", 2019, DatePrecision.Month), (group.EstablishingDecision, group.StartDate.Year, group.StartDate.Precision));
        Assert.Equal("posts/thu-truong-btttt", Assert.Single(group.Members).Post);
        var leader = Assert.Single(Assert.Single(after701.WorkingGroups).Members);
        Assert.Equal(("posts/bo-truong-btttt", "Nguyễn Mạnh Hùng", WorkingGroupRole.Leader), (leader.Post, leader.PersonDisplayName, leader.Role));
    }

    [Fact]
    public async Task The_standing_vice_chair_is_Vu_Duc_Dam_until_2023_01_05_and_not_known_after()
    {
        var during = Single(await ViewAsync(National, 2021, 10, 1), MembershipRole.StandingViceChair);
        var after = Single(await ViewAsync(National, 2023, 6, 1), MembershipRole.StandingViceChair);

        Assert.Equal(("Vũ Đức Đam", false), (during.PersonDisplayName, during.HolderNotKnown));
        Assert.Equal(("", true), (after.PersonDisplayName, after.HolderNotKnown));
        Assert.Equal("posts/pho-thu-tuong-phu-trach-cntt", after.Post);
    }

    [Fact]
    public async Task Ministers_seats_whose_holders_no_source_names_are_shown_as_not_known()
    {
        var view = await ViewAsync(National, 2021, 10, 1);

        var viceChair = Single(view, MembershipRole.ViceChair);
        Assert.Equal(("posts/bo-truong-btttt", "", true), (viceChair.Post, viceChair.PersonDisplayName, viceChair.HolderNotKnown));
        Assert.Equal(14, view.Memberships.Count(m => m.HolderNotKnown));
    }

    [Fact]
    public async Task The_prime_ministers_office_lists_its_holders_with_their_sources_dates()
    {
        var holders = await Membership.ListPostHoldersAsync(new ListPostHoldersRequest { Parent = "posts/thu-tuong-chinh-phu" }, sandbox.Reader);

        Assert.Equal(
            [("Nguyễn Xuân Phúc", 2016, DatePrecision.Year), ("Phạm Minh Chính", 2021, DatePrecision.Day)],
            holders.PostHolders.Select(h => (h.PersonDisplayName, h.StartDate.Year, h.StartDate.Precision)));
        Assert.Equal((2021, 4, 5), (holders.PostHolders[0].EndDate.Year, holders.PostHolders[0].EndDate.Month, holders.PostHolders[0].EndDate.Day));
    }

    [Theory]
    [InlineData(2019, 6, 19, 63)]
    [InlineData(2020, 5, 25, 63)]
    [InlineData(2020, 12, 31, 63)]
    [InlineData(2023, 6, 1, 63)]
    [InlineData(2026, 1, 1, 34)]
    public async Task The_overview_lists_the_provinces_in_force_on_the_date(int year, int month, int day, int provinces)
    {
        var overview = await OverviewAsync(year, month, day);

        Assert.Equal(provinces, overview.Rows.Count(r => r.Level == CommitteeLevel.Province));
        var prefix = year >= 2026 ? "province-2025-" : "province-2020-";
        Assert.All(overview.Rows.Where(r => r.Level == CommitteeLevel.Province), row => Assert.StartsWith(prefix, row.Organisation, StringComparison.Ordinal));
    }

    [Fact]
    public async Task In_2026_no_committee_of_a_ceased_2020_province_is_active_and_new_Gia_Lai_has_none_invented()
    {
        var active = await Membership.ListCommitteesAsync(
            new ListCommitteesRequest { Levels = { CommitteeLevel.Province }, AsOf = Day(2026, 1, 1), PageSize = 500 }, sandbox.Reader);
        var ended = await Membership.GetCommitteeAsync(new GetCommitteeRequest { Name = GiaLai, AsOf = Day(2026, 1, 1) }, sandbox.Reader);
        var overview = await OverviewAsync(2026, 1, 1);

        Assert.DoesNotContain(active.Committees, c => c.Jurisdiction.StartsWith("province-2020-", StringComparison.Ordinal));
        Assert.Equal(CommitteeState.JurisdictionEnded, ended.State);
        Assert.Empty(ended.Successor);
        Assert.Equal((2025, 7, 1), (ended.EndDate.Year, ended.EndDate.Month, ended.EndDate.Day));
        var newGiaLai = Assert.Single(overview.Rows, r => r.Organisation == "province-2025-52");
        Assert.Equal(("Tỉnh Gia Lai", "", ComplianceStatus.Unspecified), (newGiaLai.OrganisationDisplayName, newGiaLai.Committee, newGiaLai.ComplianceStatus));
    }

    [Fact]
    public async Task Compliance_is_judged_as_of_the_date_on_rules_that_cite_their_source()
    {
        var beforeRules = await OverviewAsync(2020, 5, 25);
        var endOf2020 = await OverviewAsync(2020, 12, 31);
        var rules = await Membership.ListComplianceRulesAsync(new ListComplianceRulesRequest { ShowDisabled = true }, sandbox.Reader);

        // Before 701 (2020-05-26) no requirement stood: nothing is judged.
        Assert.Null(beforeRules.NationalCommittee.Compliance);
        Assert.Equal(ComplianceStatus.Unspecified, beforeRules.Rows.Single(r => r.Organisation == "province-2020-64").ComplianceStatus);
        // Gia Lai's 2020 addition cites 701 as its legal basis: it responds to 701.
        var giaLai = await ViewAsync(GiaLai, 2020, 12, 31);
        Assert.Equal(ComplianceStatus.Compliant, endOf2020.Rows.Single(r => r.Organisation == "province-2020-64").ComplianceStatus);
        Assert.Equal(ComplianceStatus.Compliant, giaLai.Compliance.Findings.Single(f => f.Rule == "complianceRules/consolidated-after-701").Status);
        Assert.Equal(ComplianceStatus.Compliant, endOf2020.NationalCommittee.Compliance.Status);
        Assert.DoesNotContain(endOf2020.NationalCommittee.Compliance.Findings, f => f.Rule.Contains("standing-member", StringComparison.Ordinal));
        Assert.All(rules.ComplianceRules, rule => Assert.NotEmpty(rule.Source));
        // The provinces the article lists give a year and no roster: undecidable, not failed.
        Assert.Equal(ComplianceStatus.Unknown, endOf2020.Rows.Single(r => r.Organisation == "province-2020-95").ComplianceStatus);
    }

    [Fact]
    public async Task Gia_Lais_seats_by_office_show_the_office_and_a_holder_not_known()
    {
        var view = await ViewAsync(GiaLai, 2020, 12, 31);

        var chair = Single(view, MembershipRole.Chair);
        Assert.Equal(("posts/gia-lai-2020-chu-tich-ubnd", "", true), (chair.Post, chair.PersonDisplayName, chair.HolderNotKnown));
    }

    private static Date Day(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    private async Task<CommitteeView> ViewAsync(string committee, int year, int month, int day) =>
        await Membership.GetCommitteeViewAsync(new GetCommitteeViewRequest { Committee = committee, AsOf = Day(year, month, day) }, sandbox.Reader);

    private async Task<NationalOverview> OverviewAsync(int year, int month, int day) =>
        await Membership.GetNationalOverviewAsync(new GetNationalOverviewRequest { AsOf = Day(year, month, day) }, sandbox.Reader);

    private static CommitteeMembership Single(CommitteeView view, MembershipRole role) =>
        Assert.Single(view.Memberships, membership => membership.Roles.Contains(role));
}
