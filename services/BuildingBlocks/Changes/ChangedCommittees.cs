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
        foreach (var (field, template, name) in change.Accept(NamedCommittees.Instance))
        {
            if (template.Match(name) is [var committee, ..])
            {
                yield return (field, "committees/" + committee);
            }
        }
    }

    /// <summary>A committee, membership or working group name a change gives, and the field that gives it.</summary>
    private readonly record struct Naming(string Field, ResourceNameTemplate Template, string Name);

    private sealed class NamedCommittees : IChangeVisitor<IReadOnlyList<Naming>>
    {
        public static readonly NamedCommittees Instance = new();

        public IReadOnlyList<Naming> EstablishCommittee(EstablishCommittee change) =>
            [new("establish_committee.committee_id", CommitteeName, "committees/" + change.CommitteeId)];

        public IReadOnlyList<Naming> SetRoster(SetRoster change) =>
            [new("set_roster.committee", CommitteeName, change.Committee)];

        public IReadOnlyList<Naming> Appoint(Appoint change) =>
            [new("appoint.committee", CommitteeName, change.Committee)];

        public IReadOnlyList<Naming> Relieve(Relieve change) =>
            change.TargetCase == Types.V1.Relieve.TargetOneofCase.Membership
                ? [new("relieve.membership", MembershipName, change.Membership)]
                : [new("relieve.committee", CommitteeName, change.Committee)];

        public IReadOnlyList<Naming> ChangeRoles(ChangeRoles change) =>
            change.TargetCase == Types.V1.ChangeRoles.TargetOneofCase.Membership
                ? [new("change_roles.membership", MembershipName, change.Membership)]
                : [new("change_roles.committee", CommitteeName, change.Committee)];

        public IReadOnlyList<Naming> SetMandate(SetMandate change) =>
            [new("set_mandate.committee", CommitteeName, change.Committee)];

        public IReadOnlyList<Naming> SetFocalAgency(SetFocalAgency change) =>
            [new("set_focal_agency.committee", CommitteeName, change.Committee)];

        public IReadOnlyList<Naming> RenameCommittee(RenameCommittee change) =>
            [new("rename_committee.committee", CommitteeName, change.Committee)];

        public IReadOnlyList<Naming> EstablishWorkingGroup(EstablishWorkingGroup change) =>
            [new("establish_working_group.committee", CommitteeName, change.Committee)];

        public IReadOnlyList<Naming> SetWorkingGroupMembers(SetWorkingGroupMembers change) =>
            [new("set_working_group_members.working_group", WorkingGroupName, change.WorkingGroup)];

        public IReadOnlyList<Naming> DissolveWorkingGroup(DissolveWorkingGroup change) =>
            [new("dissolve_working_group.working_group", WorkingGroupName, change.WorkingGroup)];

        public IReadOnlyList<Naming> MergeCommittees(MergeCommittees change) =>
            [
                .. change.Committees.Select((committee, index) => new Naming($"merge_committees.committees[{index}]", CommitteeName, committee)),
                new("merge_committees.successor", CommitteeName, change.Successor),
            ];

        public IReadOnlyList<Naming> DissolveCommittee(DissolveCommittee change) =>
            [new("dissolve_committee.committee", CommitteeName, change.Committee)];

        // A post belongs to no committee; a revocation acts on the revoked decision's own subject committees.
        public IReadOnlyList<Naming> AssignPostHolder(AssignPostHolder change) => [];

        public IReadOnlyList<Naming> RevokeDecisionEffects(RevokeDecisionEffects change) => [];

        public IReadOnlyList<Naming> NoKind() => [];
    }
}
