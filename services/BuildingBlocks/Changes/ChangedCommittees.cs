using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.Types.V1;

namespace Egov.Steering.Changes;

/// <summary>
/// The committees a decision's changes act on, as "committees/{committee}": those whose issue order the decision must
/// take. A change names its committee directly, or through a membership or working group of it; AssignPostHolder
/// names a post only, and RevokeDecisionEffects acts on the revoked decision's own subject committees. A malformed name
/// is skipped: Membership reports it. Shared by Decisions (which checks the rule before issuing) and Membership (which
/// checks it again before applying), so both read a change the same way.
/// </summary>
public static class ChangedCommittees
{
    private static readonly ResourceNameTemplate CommitteeName = new("committees/{committee}");
    private static readonly ResourceNameTemplate MembershipName = new("committees/{committee}/memberships/{membership}");
    private static readonly ResourceNameTemplate WorkingGroupName = new("committees/{committee}/workingGroups/{working_group}");

    /// <summary>Every committee the changes act on, once each, in the order they are first named.</summary>
    public static IReadOnlyList<string> In(IEnumerable<Change> changes) =>
        changes.SelectMany(Of).Select(named => named.Committee).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The committees one change acts on, each with the field (relative to the change) that names it.</summary>
    public static IEnumerable<(string Field, string Committee)> Of(Change change)
    {
        IReadOnlyList<(string Field, ResourceNameTemplate Template, string Name)> named = change.KindCase switch
        {
            Change.KindOneofCase.EstablishCommittee =>
                [("establish_committee.committee_id", CommitteeName, "committees/" + change.EstablishCommittee.CommitteeId)],
            Change.KindOneofCase.SetRoster => [("set_roster.committee", CommitteeName, change.SetRoster.Committee)],
            Change.KindOneofCase.Appoint => [("appoint.committee", CommitteeName, change.Appoint.Committee)],
            Change.KindOneofCase.Relieve => change.Relieve.TargetCase == Relieve.TargetOneofCase.Membership
                ? [("relieve.membership", MembershipName, change.Relieve.Membership)]
                : [("relieve.committee", CommitteeName, change.Relieve.Committee)],
            Change.KindOneofCase.ChangeRoles => change.ChangeRoles.TargetCase == ChangeRoles.TargetOneofCase.Membership
                ? [("change_roles.membership", MembershipName, change.ChangeRoles.Membership)]
                : [("change_roles.committee", CommitteeName, change.ChangeRoles.Committee)],
            Change.KindOneofCase.SetMandate => [("set_mandate.committee", CommitteeName, change.SetMandate.Committee)],
            Change.KindOneofCase.SetFocalAgency => [("set_focal_agency.committee", CommitteeName, change.SetFocalAgency.Committee)],
            Change.KindOneofCase.RenameCommittee => [("rename_committee.committee", CommitteeName, change.RenameCommittee.Committee)],
            Change.KindOneofCase.EstablishWorkingGroup => [("establish_working_group.committee", CommitteeName, change.EstablishWorkingGroup.Committee)],
            Change.KindOneofCase.SetWorkingGroupMembers =>
                [("set_working_group_members.working_group", WorkingGroupName, change.SetWorkingGroupMembers.WorkingGroup)],
            Change.KindOneofCase.DissolveWorkingGroup => [("dissolve_working_group.working_group", WorkingGroupName, change.DissolveWorkingGroup.WorkingGroup)],
            Change.KindOneofCase.MergeCommittees => change.MergeCommittees.Committees
                .Select((committee, index) => ($"merge_committees.committees[{index}]", CommitteeName, committee))
                .Append(("merge_committees.successor", CommitteeName, change.MergeCommittees.Successor))
                .ToList(),
            Change.KindOneofCase.DissolveCommittee => [("dissolve_committee.committee", CommitteeName, change.DissolveCommittee.Committee)],
            _ => [],
        };

        foreach (var (field, template, name) in named)
        {
            if (template.Match(name) is [var committee, ..])
            {
                yield return (field, "committees/" + committee);
            }
        }
    }
}
