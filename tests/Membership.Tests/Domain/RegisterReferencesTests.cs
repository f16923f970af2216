using System.Text.Json;
using CsCheck;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using static Egov.Steering.Membership.Tests.Domain.Scenario;

namespace Egov.Steering.Membership.Tests.Domain;

public class RegisterReferencesTests
{
    [Fact]
    public void A_decision_refers_to_its_subjects_and_to_what_each_change_names()
    {
        var decision = Decision(
            "d1",
            D(2020, 1, 1),
            GiaLai,
            EstablishGiaLai(),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PostSeat("chu-tich-gia-lai"), MembershipRole.Chair)),
            new Relieve("changes[2].relieve", null, new MembershipTarget("bcd-kon-tum", "m-7", PersonSeat("nguyen-van-a")), null),
            new MergeCommittees("changes[3].merge_committees", null, ["bcd-a", "bcd-b"], "bcd-c"),
            new AssignPostHolder("changes[4].assign_post_holder", null, "giam-doc-so", "tran-thi-b"),
            new RevokeDecisionEffects("changes[5].revoke_decision_effects", null, "d0")) with { SubjectCommitteeIds = ["bcd-subject"] };

        var references = RegisterReferences.Of(decision);

        Assert.Equal(["bcd-a", "bcd-b", "bcd-c", "bcd-gia-lai", "bcd-kon-tum", "bcd-subject"], Sorted(references.CommitteeIds));
        Assert.Equal(["chu-tich-gia-lai", "giam-doc-so"], Sorted(references.PostIds));
        Assert.Equal(["nguyen-van-a", "tran-thi-b"], Sorted(references.PersonIds));
        Assert.Equal([GiaLai], Sorted(references.Jurisdictions));
        Assert.Equal(["d0"], references.RevokedDecisionIds);
        Assert.Equal(["m-7"], references.MembershipIds);
    }

    [Fact]
    public void A_dry_run_on_the_memberships_and_records_it_can_meet_has_the_outcome_it_has_on_the_whole_register()
    {
        Gen.Select(ChangeGenerators.Change.Array[1, 25], NextChange.Array[1, 3]).Sample((history, next) =>
        {
            var scenario = new Scenario();
            scenario.FoundGiaLai();
            for (var i = 0; i < history.Length; i++)
            {
                DecisionEngine.Apply(scenario.Register, Decision("d" + i, D(2019, 6, 20), GiaLai, history[i]));
            }

            var decision = Decision("next", D(2019, 6, 20), GiaLai, next);
            var references = RegisterReferences.Of(decision);
            var (memberships, records) = (references.MembershipsADryRunMeets().Compile(), references.DecisionRecordsADryRunMeets().Compile());
            var narrowed = scenario.Register.Clone();
            narrowed.FindCommittee("bcd-gia-lai")!.Memberships.RemoveAll(m => !memberships(m));
            narrowed.FindCommittee("bcd-gia-lai")!.Decisions.RemoveAll(d => !records(d));
            return Described(DecisionEngine.Preview(narrowed, decision)) == Described(DecisionEngine.Preview(scenario.Register, decision));
        });
    }

    /// <summary>A membership change, or one of the committee's: renamed, dissolved, or a decision of its history (or none) revoked.</summary>
    private static readonly Gen<DecisionChange> NextChange = Gen.Frequency(
        (6, ChangeGenerators.Change),
        (1, Gen.Int[0, 30].Select(i => (DecisionChange)new RevokeDecisionEffects("changes[0].revoke_decision_effects", null, "d" + i))),
        (1, Gen.Const((DecisionChange)new RenameCommittee("changes[0].rename_committee", null, "bcd-gia-lai", "Ban chỉ đạo chuyển đổi số tỉnh Gia Lai"))),
        (1, Gen.Const((DecisionChange)new DissolveCommittee("changes[0].dissolve_committee", null, "bcd-gia-lai"))));

    [Fact]
    public void Only_changes_that_act_on_every_membership_read_whole_rosters()
    {
        var appoint = new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("nguyen-van-a"), MembershipRole.Member));
        var relieve = new Relieve("changes[1].relieve", null, new MembershipTarget("bcd-gia-lai", "3", null), null);
        Assert.False(RegisterReferences.Of(Decision("d1", D(2020, 1, 1), GiaLai, appoint, relieve)).ReadsWholeRosters);
        Assert.All(
            new DecisionChange[]
            {
                new SetRoster("changes[0].set_roster", null, "bcd-gia-lai", [], null),
                new MergeCommittees("changes[0].merge_committees", null, ["bcd-a"], "bcd-b"),
                new DissolveCommittee("changes[0].dissolve_committee", null, "bcd-gia-lai"),
                new RevokeDecisionEffects("changes[0].revoke_decision_effects", null, "d0"),
            },
            change => Assert.True(RegisterReferences.Of(Decision("d1", D(2020, 1, 1), GiaLai, appoint, change)).ReadsWholeRosters));
    }

    // The outcome whole: its result, problems, events (each as its own type) and affected committees.
    private static string Described(DecisionOutcome outcome) => JsonSerializer.Serialize(new
    {
        outcome.Result,
        outcome.Problems,
        Events = outcome.Events.Select(e => JsonSerializer.Serialize(e, e.GetType())),
        outcome.AffectedCommitteeIds,
    });

    private static List<string> Sorted(IEnumerable<string> ids) => [.. ids.Order(StringComparer.Ordinal)];
}
