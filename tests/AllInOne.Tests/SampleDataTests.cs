using System.Text.RegularExpressions;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Membership.V1;
using Egov.Steering.ReferenceData;
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

        Assert.Equal(21, list.Decisions.Count);
        Assert.All(list.Decisions, decision => Assert.Equal(DecisionState.Applied, decision.State));
        var addition = Assert.Single(list.Decisions, decision => decision.Name == "decisions/gia-lai-2020-bo-sung");
        Assert.Empty(addition.Number);
        Assert.Equal(DatePrecision.Year, addition.EffectiveDate.Precision);
        // The article has no known address: it is cited by title, naming the repository copy.
        Assert.Contains("source-article.txt", addition.Source.Title);
    }

    [Fact]
    public async Task Every_address_the_reference_files_give_is_cited_by_the_decisions_that_record_their_facts()
    {
        var decisions = (await new DecisionsService.DecisionsServiceClient(sandbox.Channel)
            .ListDecisionsAsync(new ListDecisionsRequest { PageSize = 100 }, sandbox.Reader)).Decisions;
        static IEnumerable<string> Addresses(string text) => Regex.Matches(text, @"https?://[^\s,;""]+").Select(match => match.Value);
        static IEnumerable<string> Cited(Decision decision) => decision.AdditionalSources.Prepend(decision.Source).Select(source => source?.Uri ?? "").Where(uri => uri.Length > 0);

        // Each national decision loaded cites exactly the addresses of its row in decisions.csv.
        var rows = ReferenceFiles.ReadText(ReferenceFiles.Decisions).Split('\n').Skip(1).Where(row => row.Length > 0).ToList();
        var loaded = rows.Select(row => (Row: row, Decision: decisions.SingleOrDefault(d => d.Number == row[..row.IndexOf(',')]))).Where(pair => pair.Decision is not null).ToList();
        Assert.Equal(["1072/QĐ-TTg", "1201/QĐ-TTg", "701/QĐ-TTg", "1619/QĐ-TTg"], loaded.Select(pair => pair.Decision!.Number));
        Assert.All(loaded, pair => Assert.Equal(Addresses(pair.Row).Order(), Cited(pair.Decision!).Order()));
        // Every address of office_holders.csv is cited by a decision recording a holder.
        Assert.Empty(Addresses(ReferenceFiles.ReadText(ReferenceFiles.OfficeHolders)).Except(decisions.SelectMany(Cited)));
    }

    [Theory]
    [InlineData(2020, 1)]
    [InlineData(2026, 0)]
    public async Task Gia_Lai_has_its_2020_province_committee_until_the_province_ceased_and_no_invented_one_after(int year, int committees)
    {
        var list = await Membership.ListCommitteesAsync(
            new ListCommitteesRequest { Query = "Gia Lai", Levels = { CommitteeLevel.Province }, AsOf = new Date { Year = year, Month = 1, Day = 1 } },
            sandbox.Reader);

        Assert.Equal(committees, list.Committees.Count);
        Assert.All(list.Committees, giaLai => Assert.Equal(("committees/" + SampleCommittees.GiaLai, "province-2020-64"), (giaLai.Name, giaLai.Jurisdiction)));
    }

    [Fact]
    public async Task The_2020_Gia_Lai_committee_ends_with_its_province_on_2025_07_01_without_an_invented_successor()
    {
        var ended = await Membership.GetCommitteeAsync(
            new GetCommitteeRequest { Name = $"committees/{SampleCommittees.GiaLai}", AsOf = new Date { Year = 2025, Month = 7, Day = 1 } },
            sandbox.Reader);

        Assert.Equal(CommitteeState.JurisdictionEnded, ended.State);
        Assert.Empty(ended.Successor);
    }

    public static TheoryData<string, string> ConsolidatedProvinces => new()
    {
        { "bac-lieu-2020-e-government", "province-2020-95" },
        { "bac-ninh-2020-e-government", "province-2020-27" },
        { "thai-binh-2020-e-government", "province-2020-34" },
        { "an-giang-2020-e-government", "province-2020-89" },
        { "hai-phong-2020-e-government", "province-2020-31" },
        { "binh-phuoc-2020-e-government", "province-2020-70" },
        { "ba-ria-vung-tau-2020-e-government", "province-2020-77" },
        { "long-an-2020-e-government", "province-2020-80" },
        { "kon-tum-2020-e-government", "province-2020-62" },
        { "bac-giang-2020-e-government", "province-2020-24" },
        { "cao-bang-2020-e-government", "province-2020-04" },
        { "ho-chi-minh-2020-e-government", "province-2020-79" },
    };

    [Theory]
    [MemberData(nameof(ConsolidatedProvinces))]
    public async Task The_overview_lists_the_provinces_the_article_says_consolidated_as_unknown_without_invented_members(string committee, string province)
    {
        var overview = await Membership.GetNationalOverviewAsync(
            new GetNationalOverviewRequest { AsOf = new Date { Year = 2020, Month = 12, Day = 31 } }, sandbox.Reader);
        var view = await Membership.GetCommitteeViewAsync(
            new GetCommitteeViewRequest { Committee = $"committees/{committee}", AsOf = new Date { Year = 2020, Month = 12, Day = 31 } },
            sandbox.Reader);

        var row = Assert.Single(overview.Rows, row => row.Organisation == province);
        Assert.Equal($"committees/{committee}", row.Committee);
        // The article gives a year and no roster: neither "after 2020-05-26" nor the chair can be decided.
        Assert.Equal(ComplianceStatus.Unknown, row.ComplianceStatus);
        Assert.Equal(0, row.MemberCount);
        Assert.Empty(view.Memberships);
        Assert.DoesNotContain(view.Compliance.Findings, finding => finding.Status == ComplianceStatus.Compliant);
    }

    [Fact]
    public async Task The_consolidation_decisions_say_the_number_and_date_are_unknown_and_cite_the_article()
    {
        var decisions = new DecisionsService.DecisionsServiceClient(sandbox.Channel);

        var decision = await decisions.GetDecisionAsync(new GetDecisionRequest { Name = "decisions/bac-lieu-2020-kien-toan" }, sandbox.Reader);

        Assert.Empty(decision.Number);
        Assert.Equal((2020, DatePrecision.Year), (decision.EffectiveDate.Year, decision.EffectiveDate.Precision));
        Assert.Contains("source-article.txt", decision.Source.Title);
        // A kiện toàn of a committee that existed before: it records the committee, it does not found it.
        Assert.Equal([DecisionKind.Consolidate], decision.Kinds);
        Assert.True(Assert.Single(decision.Changes).EstablishCommittee.AlreadyExisted);
    }

    [Fact]
    public async Task Ho_Chi_Minh_City_has_its_support_group_with_no_invented_member()
    {
        var view = await Membership.GetCommitteeViewAsync(
            new GetCommitteeViewRequest { Committee = "committees/ho-chi-minh-2020-e-government", AsOf = new Date { Year = 2020, Month = 12, Day = 31 } },
            sandbox.Reader);

        var group = Assert.Single(view.WorkingGroups);
        Assert.Equal("committees/ho-chi-minh-2020-e-government/workingGroups/to-giup-viec", group.Name);
        Assert.StartsWith("Tổ giúp việc", group.DisplayName, StringComparison.Ordinal);
        Assert.Empty(group.Members);
    }

    [Fact]
    public async Task Gia_Lais_unnamed_seats_are_listed_in_number_order()
    {
        var view = await Membership.GetCommitteeViewAsync(
            new GetCommitteeViewRequest { Committee = $"committees/{SampleCommittees.GiaLai}", AsOf = new Date { Year = 2020, Month = 12, Day = 31 } },
            sandbox.Reader);

        var unnamed = view.Memberships.Select(m => m.PostDisplayName).Where(post => post.StartsWith("Ủy viên thứ", StringComparison.Ordinal));

        Assert.Equal(Enumerable.Range(4, 12).Select(n => $"Ủy viên thứ {n} (chức vụ không nêu trong nguồn)"), unnamed);
    }

    private static CommitteeMembership Single(CommitteeView view, MembershipRole role) =>
        Assert.Single(view.Memberships, membership => membership.Roles.Contains(role));
}
