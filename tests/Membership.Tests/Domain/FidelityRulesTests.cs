using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Compliance;
using Egov.Steering.Membership.Domain.Decisions;
using static Egov.Steering.Membership.Tests.Domain.Scenario;

namespace Egov.Steering.Membership.Tests.Domain;

/// <summary>
/// What the register may say and no more: ex-officio seats follow the office's recorded holders, a committee ends with
/// its jurisdiction, and compliance is judged only on cited rules in force on the date, reading legal bases.
/// </summary>
public class FidelityRulesTests
{
    private readonly Scenario scenario = new();

    [Fact]
    public void A_seat_naming_a_person_in_an_office_follows_the_offices_next_holder()
    {
        var committee = scenario.FoundGiaLai();
        scenario.Apply(Decision("d1", D(2019, 7, 1), GiaLai,
            new AssignPostHolder("changes[0].assign_post_holder", null, "giam-doc-sxd-gia-lai", "nguyen-van-a"),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(new Holder("nguyen-van-a", "giam-doc-sxd-gia-lai"), MembershipRole.Member))));
        scenario.Apply(Decision("d2", D(2021, 4, 5), GiaLai,
            new AssignPostHolder("changes[0].assign_post_holder", null, "giam-doc-sxd-gia-lai", "tran-thi-b")));

        Assert.Equal("Nguyễn Văn A", SeatOf(committee, "giam-doc-sxd-gia-lai", On(2021, 4, 4)).Person?.DisplayName);
        var after = SeatOf(committee, "giam-doc-sxd-gia-lai", On(2021, 4, 5));
        Assert.Equal(("Trần Thị B", true), (after.Person?.DisplayName, after.HolderKnown));
    }

    [Fact]
    public void An_office_whose_holder_left_without_a_recorded_successor_shows_the_holder_as_not_known()
    {
        var committee = scenario.FoundGiaLai();
        scenario.Apply(Decision("d1", D(2019, 7, 1), GiaLai,
            new AssignPostHolder("changes[0].assign_post_holder", null, "chu-tich-gia-lai", "vo-ngoc-thanh")));
        scenario.Apply(Decision("d2", D(2023, 1, 5), GiaLai,
            new AssignPostHolder("changes[0].assign_post_holder", null, "chu-tich-gia-lai", null, HolderNotRecorded: true)));

        Assert.Equal(("Võ Ngọc Thành", true), Chair(committee, On(2023, 1, 4)));
        Assert.Equal((null, false), Chair(committee, On(2023, 6, 1)));
        Assert.Null(scenario.Register.FindPost("chu-tich-gia-lai")!.HolderOn(On(2023, 6, 1)));
    }

    [Fact]
    public void A_named_person_is_not_carried_past_the_end_of_their_recorded_tenure()
    {
        var committee = scenario.FoundGiaLai();
        scenario.Apply(Decision("d1", D(2019, 7, 1), GiaLai,
            new AssignPostHolder("changes[0].assign_post_holder", null, "giam-doc-sxd-gia-lai", "nguyen-van-a")));
        scenario.Apply(Decision("d2", D(2020, 1, 1), GiaLai,
            new AssignPostHolder("changes[0].assign_post_holder", null, "giam-doc-sxd-gia-lai", null, HolderNotRecorded: true)));
        // Appointed later by name in the office they have left: the decision says who, the holders say until when.
        scenario.Apply(Decision("d3", D(2020, 6, 1), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(new Holder("nguyen-van-a", "giam-doc-sxd-gia-lai"), MembershipRole.Member))));

        var seat = SeatOf(committee, "giam-doc-sxd-gia-lai", On(2021, 1, 1));

        Assert.Equal((null, false), (seat.Person?.DisplayName, seat.HolderKnown));
    }

    [Fact]
    public void A_seat_by_office_with_no_recorded_holder_is_not_known_and_a_recorded_vacancy_is_known_empty()
    {
        var committee = scenario.FoundGiaLai();

        Assert.Equal((null, false), Chair(committee, On(2020, 1, 1)));

        scenario.Apply(Decision("d1", D(2020, 2, 1), GiaLai,
            new AssignPostHolder("changes[0].assign_post_holder", null, "chu-tich-gia-lai", null)));
        Assert.Equal((null, true), Chair(committee, On(2020, 3, 1)));
    }

    [Fact]
    public void A_committee_ends_with_its_jurisdiction_and_is_no_longer_open_to_decisions()
    {
        var committee = scenario.FoundGiaLai();
        committee.BoundByJurisdiction(D(2025, 7, 1));

        Assert.Equal(CommitteeState.Active, committee.StateOn(On(2025, 6, 30)));
        Assert.Equal(CommitteeState.JurisdictionEnded, committee.StateOn(On(2026, 1, 1)));
        Assert.Equal(D(2025, 7, 1), committee.LifeEnd);
        Assert.Null(scenario.Register.CommitteeOf(GiaLai, On(2026, 1, 1)));
        var outcome = DecisionEngine.Apply(scenario.Register, Decision("d-late", D(2025, 8, 1), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PostSeat("giam-doc-sxd-gia-lai"), MembershipRole.Member))));
        Assert.Equal(DecisionResult.Rejected, outcome.Result);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    public void A_committee_merged_before_or_on_the_day_its_jurisdiction_ended_is_merged(int month)
    {
        var committee = scenario.FoundGiaLai();
        committee.BoundByJurisdiction(D(2025, 7, 1));
        scenario.Apply(Decision("d-merge", D(2025, month, 1), "national",
            new EstablishCommittee("changes[0].establish_committee", null, "bcd-gia-lai-moi", "Ban chỉ đạo tỉnh Gia Lai", CommitteeLevel.Province,
                NewGiaLai, null, [MandateTopic.EGovernment], null),
            new MergeCommittees("changes[1].merge_committees", null, ["bcd-gia-lai"], "bcd-gia-lai-moi")));

        Assert.Equal(CommitteeState.Merged, committee.StateOn(On(2026, 1, 1)));
    }

    [Fact]
    public void A_decision_whose_legal_basis_is_701_responds_to_701_whatever_its_date_is_known_to()
    {
        Consolidate(CivilDate.Of(2019, 6, 20));
        scenario.Apply(new DecisionToApply("d-bo-sung", null, CivilDate.OfYear(2020), [DecisionKind.Amend], [], GiaLai,
            [new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PostSeat("giam-doc-sxd-gia-lai"), MembershipRole.Member))])
        {
            LegalBasis = ["Quyết định 701/QĐ-TTg ngày 26/5/2020"],
        });

        var finding = Evaluate(On(2020, 12, 31)).Findings.Single(f => f.RuleId == "consolidated-after-701");

        Assert.Equal(ComplianceStatus.Compliant, finding.Status);
        Assert.Contains("701/QĐ-TTg", finding.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_without_a_source_is_not_evaluated()
    {
        Consolidate(CivilDate.Of(2020, 8, 1));
        var uncited = new ComplianceRule("standing-member-or-secretary", "Có thành viên thường trực hoặc thư ký", "701/QĐ-TTg",
            ComplianceRuleKind.AnyRolePresent, [CommitteeLevel.Province])
        {
            Roles = [MembershipRole.Member],
        };

        var compliance = ComplianceEvaluator.Evaluate(scenario.Register, Committee, [.. ComplianceRulesFile.Load(), uncited], On(2021, 1, 1));

        Assert.DoesNotContain(compliance.Findings, f => f.RuleId == uncited.Id);
        Assert.Equal(ComplianceStatus.Compliant, compliance.Status);
    }

    [Fact]
    public void Before_its_sources_date_no_rule_is_evaluated()
    {
        Consolidate(CivilDate.Of(2019, 6, 20));

        var before = Evaluate(On(2020, 5, 25));
        var after = Evaluate(On(2020, 5, 26));

        Assert.False(before.Assessed);
        Assert.Equal(ComplianceStatus.NotCompliant, after.Status);
    }

    private Committee Committee => scenario.Register.FindCommittee("bcd-gia-lai")!;

    private SeatAsOf SeatOf(Committee committee, string post, DateOnly date) =>
        scenario.Register.AsOf(committee, date).Seats.Single(s => s.Membership.PostId == post);

    private (string?, bool) Chair(Committee committee, DateOnly date)
    {
        var chair = scenario.Register.AsOf(committee, date).Chair!;
        return (chair.Person?.DisplayName, chair.HolderKnown);
    }

    private void Consolidate(CivilDate date) =>
        scenario.Apply(new DecisionToApply("d-consolidate", "337/QĐ-UBND", date, [DecisionKind.Establish, DecisionKind.Consolidate], [], GiaLai,
        [
            EstablishGiaLai(),
            new SetRoster("changes[1].set_roster", null, "bcd-gia-lai", [Seat(PostSeat("chu-tich-gia-lai"), MembershipRole.Chair)], null),
        ]));

    private CommitteeCompliance Evaluate(DateOnly date) =>
        ComplianceEvaluator.Evaluate(scenario.Register, Committee, ComplianceRulesFile.Load(), date);
}
