using Egov.Steering.Types.V1;

namespace Egov.Steering.Changes;

/// <summary>
/// A reading of a decision's changes with one method per kind of <see cref="Change"/>: a new kind adds a method here,
/// and every reading fails to compile until it says what the kind means to it. <see cref="ChangeKinds.Accept"/> calls
/// the method of the kind a change sets.
/// </summary>
public interface IChangeVisitor<out T>
{
    T EstablishCommittee(EstablishCommittee change);

    T SetRoster(SetRoster change);

    T Appoint(Appoint change);

    T Relieve(Relieve change);

    T ChangeRoles(ChangeRoles change);

    T SetMandate(SetMandate change);

    T SetFocalAgency(SetFocalAgency change);

    T RenameCommittee(RenameCommittee change);

    T EstablishWorkingGroup(EstablishWorkingGroup change);

    T SetWorkingGroupMembers(SetWorkingGroupMembers change);

    T DissolveWorkingGroup(DissolveWorkingGroup change);

    T MergeCommittees(MergeCommittees change);

    T DissolveCommittee(DissolveCommittee change);

    T AssignPostHolder(AssignPostHolder change);

    T RevokeDecisionEffects(RevokeDecisionEffects change);

    /// <summary>A change that sets no kind (a client left it empty).</summary>
    T NoKind();
}
