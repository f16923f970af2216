using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Compliance;
using Egov.Steering.Membership.Domain.Decisions;
using static Egov.Steering.Membership.Tests.Domain.Scenario;

namespace Egov.Steering.Membership.Tests.Domain;

public class ComplianceTests
{
    private static readonly IReadOnlyList<ComplianceRule> Rules = ComplianceRulesFile.Load();
    private readonly Scenario scenario = new();

    [Fact]
    public void The_rules_file_holds_the_three_rules_its_sources_state_each_citing_the_text_from_701s_date()
    {
        // "A standing member or secretary" is stated neither by the article nor by 701's summary: no such rule.
        Assert.Equal(["consolidated-after-701", "chair-heads-jurisdiction", "exactly-one-chair"], Rules.Select(r => r.Id));
        Assert.All(Rules, rule => Assert.Contains("source-article.txt", rule.Source, StringComparison.Ordinal));
        Assert.All(Rules, rule => Assert.Equal(new DateOnly(2020, 5, 26), rule.InForceFrom));
        var consolidated = Rules[0];
        Assert.Equal((ComplianceRuleKind.ConsolidatedSince, new DateOnly(2020, 5, 26), "701/QĐ-TTg"),
            (consolidated.Kind, consolidated.Since!.Value, consolidated.SourceDecision));
        Assert.Equal([CommitteeLevel.Ministry, CommitteeLevel.Province], consolidated.Levels);
        Assert.Equal([PostKind.PrimeMinister, PostKind.Minister, PostKind.HeadOfAgency, PostKind.ProvincialChairman], Rules[1].PostKinds);
        Assert.Equal((MembershipRole.Chair, 1, 1), (Rules[2].Role!.Value, Rules[2].Minimum, Rules[2].Maximum));
    }

    [Theory]
    [InlineData("Quyết định số 701/QĐ-TTg ngày 26/5/2020 của Thủ tướng Chính phủ", true)]
    [InlineData("Quyết định số 701/QD-TTg ngày 26/5/2020", true)]
    [InlineData("Quyết định số 701/Q\u00D0-TTg ngày 26/5/2020", true)]
    [InlineData("quyết định 701/qđ-ttg", true)]
    [InlineData("Quyết định số 1701/QĐ-TTg ngày 10/11/2021", false)]
    [InlineData("Quyết định số 701/QĐ-TTgX", false)]
    [InlineData("Quyết định số 702/QĐ-TTg", false)]
    public void A_citation_cites_the_rules_decision_by_its_number_folded_and_whole(string citation, bool cites) =>
        Assert.Equal(cites, Rules[0].CitedBy(citation));

    [Fact]
    public void A_rules_file_with_an_unknown_value_fails_loudly()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ComplianceRulesFile.Parse("""
            rules:
              - id: x
                display_name: X
                source_decision: 1/QĐ
                levels: [PROVINCE]
                role_count: { role: KING, minimum: 1 }
            """));
        Assert.Contains("KING", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_committee_consolidated_after_701_with_its_head_as_chair_and_a_standing_secretary_is_compliant()
    {
        Consolidate(CivilDate.Of(2020, 8, 1));

        var compliance = Evaluate(On(2021, 1, 1));

        Assert.Equal(ComplianceStatus.Compliant, compliance.Status);
        Assert.All(compliance.Findings, f => Assert.Equal(ComplianceStatus.Compliant, f.Status));
    }

    [Fact]
    public void A_committee_consolidated_before_701_is_not_compliant_and_says_which_rule_is_unmet()
    {
        Consolidate(CivilDate.Of(2020, 1, 15));

        var compliance = Evaluate(On(2021, 1, 1));

        Assert.Equal(ComplianceStatus.NotCompliant, compliance.Status);
        var unmet = Assert.Single(compliance.UnmetOrUndecidable);
        Assert.Equal(("consolidated-after-701", ComplianceStatus.NotCompliant), (unmet.RuleId, unmet.Status));
        Assert.Contains("26/05/2020", unmet.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_consolidation_known_only_to_the_year_2020_is_unknown_for_the_2020_05_26_rule()
    {
        Consolidate(CivilDate.OfYear(2020));

        var compliance = Evaluate(On(2021, 1, 1));

        Assert.Equal(ComplianceStatus.Unknown, compliance.Status);
        Assert.Equal("consolidated-after-701", Assert.Single(compliance.UnmetOrUndecidable).RuleId);
    }

    [Fact]
    public void A_consolidation_known_only_to_june_2020_is_decided()
    {
        Consolidate(CivilDate.OfMonth(2020, 6));

        Assert.Equal(ComplianceStatus.Compliant, Evaluate(On(2021, 1, 1)).Status);
    }

    [Fact]
    public void A_chair_who_is_not_the_head_of_the_jurisdiction_and_two_chairs_missing_are_not_compliant()
    {
        scenario.Apply(Decision("d1", D(2020, 8, 1), GiaLai,
            EstablishGiaLai(),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PostSeat("giam-doc-sxd-gia-lai"), MembershipRole.Chair))));

        var compliance = Evaluate(On(2021, 1, 1));

        Assert.Equal(
            [("chair-heads-jurisdiction", ComplianceStatus.NotCompliant), ("consolidated-after-701", ComplianceStatus.NotCompliant)],
            compliance.UnmetOrUndecidable.Select(f => (f.RuleId, f.Status)));
    }

    [Fact]
    public void A_committee_recorded_without_members_is_unknown_for_the_roster_rules_not_failed()
    {
        scenario.Apply(new DecisionToApply("d-consolidate", null, CivilDate.Of(2020, 8, 1), [DecisionKind.Establish, DecisionKind.Consolidate], [], GiaLai,
            [EstablishGiaLai()]));

        var compliance = Evaluate(On(2021, 1, 1));

        Assert.Equal(ComplianceStatus.Unknown, compliance.Status);
        Assert.Equal(
            [("chair-heads-jurisdiction", ComplianceStatus.Unknown), ("exactly-one-chair", ComplianceStatus.Unknown)],
            compliance.UnmetOrUndecidable.Select(f => (f.RuleId, f.Status)));
    }

    [Fact]
    public void A_chair_named_without_a_post_is_decided_by_the_posts_they_hold()
    {
        scenario.Apply(Decision("d1", D(2020, 8, 1), GiaLai,
            EstablishGiaLai(),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PersonSeat("vo-ngoc-thanh"), MembershipRole.Chair))));
        var rule = Rules.Where(r => r.Id == "chair-heads-jurisdiction").ToList();
        var committee = scenario.Register.FindCommittee("bcd-gia-lai")!;

        Assert.Equal(ComplianceStatus.Unknown, ComplianceEvaluator.Evaluate(scenario.Register, committee, rule, On(2021, 1, 1)).Status);

        scenario.Apply(Decision("d2", D(2020, 9, 1), GiaLai,
            new AssignPostHolder("changes[0].assign_post_holder", null, "chu-tich-gia-lai", "vo-ngoc-thanh")));
        Assert.Equal(ComplianceStatus.Compliant, ComplianceEvaluator.Evaluate(scenario.Register, committee, rule, On(2021, 1, 1)).Status);
    }

    [Fact]
    public void A_disabled_rule_or_one_for_another_level_is_not_evaluated()
    {
        Consolidate(CivilDate.Of(2020, 1, 15));
        var rules = ComplianceRulesFile.Load();
        rules.Single(r => r.Id == "consolidated-after-701").Enabled = false;

        var compliance = ComplianceEvaluator.Evaluate(scenario.Register, scenario.Register.FindCommittee("bcd-gia-lai")!, rules, On(2021, 1, 1));

        Assert.Equal(ComplianceStatus.Compliant, compliance.Status);
        Assert.Equal(2, compliance.Findings.Count);
    }

    private void Consolidate(CivilDate date) =>
        scenario.Apply(new DecisionToApply("d-consolidate", "337/QĐ-UBND", date, [DecisionKind.Establish, DecisionKind.Consolidate], [], GiaLai,
        [
            EstablishGiaLai(),
            new SetRoster("changes[1].set_roster", null, "bcd-gia-lai",
            [
                Seat(PostSeat("chu-tich-gia-lai"), MembershipRole.Chair),
                Seat(PostSeat("giam-doc-stttt-gia-lai"), MembershipRole.StandingMember, MembershipRole.Secretary),
            ], null),
        ]));

    private CommitteeCompliance Evaluate(DateOnly date) =>
        ComplianceEvaluator.Evaluate(scenario.Register, scenario.Register.FindCommittee("bcd-gia-lai")!, Rules, date);
}
