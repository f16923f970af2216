using Egov.Steering.Changes;
using Egov.Steering.Types.V1;

namespace Egov.Steering.BuildingBlocks.Tests.Changes;

public class ChangedCommitteesTests
{
    [Fact]
    public void A_change_names_its_committee_directly_or_through_a_membership_or_working_group()
    {
        Assert.Equal(
            [("establish_committee.committee_id", "committees/a")],
            ChangedCommittees.Of(new Change { EstablishCommittee = new EstablishCommittee { CommitteeId = "a" } }));
        Assert.Equal(
            [("relieve.membership", "committees/b")],
            ChangedCommittees.Of(new Change { Relieve = new Relieve { Membership = "committees/b/memberships/m1" } }));
        Assert.Equal(
            [("change_roles.committee", "committees/c")],
            ChangedCommittees.Of(new Change { ChangeRoles = new ChangeRoles { Committee = "committees/c" } }));
        Assert.Equal(
            [("dissolve_working_group.working_group", "committees/d")],
            ChangedCommittees.Of(new Change { DissolveWorkingGroup = new DissolveWorkingGroup { WorkingGroup = "committees/d/workingGroups/g" } }));
    }

    [Fact]
    public void A_merger_names_every_merged_committee_and_the_successor()
    {
        var merger = new Change { MergeCommittees = new MergeCommittees { Committees = { "committees/a", "committees/b" }, Successor = "committees/c" } };

        Assert.Equal(
            [("merge_committees.committees[0]", "committees/a"), ("merge_committees.committees[1]", "committees/b"), ("merge_committees.successor", "committees/c")],
            ChangedCommittees.Of(merger));
    }

    [Fact]
    public void Posts_revocations_empty_changes_and_malformed_names_name_no_committee()
    {
        Assert.Empty(ChangedCommittees.Of(new Change { AssignPostHolder = new AssignPostHolder { Post = "posts/p" } }));
        Assert.Empty(ChangedCommittees.Of(new Change { RevokeDecisionEffects = new RevokeDecisionEffects() }));
        Assert.Empty(ChangedCommittees.Of(new Change()));
        Assert.Empty(ChangedCommittees.Of(new Change { Appoint = new Appoint { Committee = "people/x" } }));
    }

    [Fact]
    public void A_decision_acts_on_each_committee_once_in_the_order_first_named()
    {
        Change Appoint(string committee) => new() { Appoint = new Appoint { Committee = committee } };

        Assert.Equal(["committees/b", "committees/a"], ChangedCommittees.In([Appoint("committees/b"), Appoint("committees/a"), Appoint("committees/b")]));
    }
}
