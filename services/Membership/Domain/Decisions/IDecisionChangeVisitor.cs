namespace Egov.Steering.Membership.Domain.Decisions;

/// <summary>
/// What the register does with each kind of <see cref="DecisionChange"/>, one method per kind: a new kind adds a
/// method here (its <see cref="DecisionChange.Accept"/> calls it), and every reading of changes fails to compile until
/// it handles the kind — applying them (<see cref="DecisionRun"/>) and finding what they refer to
/// (<see cref="RegisterReferences"/>).
/// </summary>
public interface IDecisionChangeVisitor
{
    void EstablishCommittee(EstablishCommittee change);

    void SetRoster(SetRoster change);

    void Appoint(Appoint change);

    void Relieve(Relieve change);

    void ChangeRoles(ChangeRoles change);

    void SetMandate(SetMandate change);

    void SetFocalAgency(SetFocalAgency change);

    void RenameCommittee(RenameCommittee change);

    void EstablishWorkingGroup(EstablishWorkingGroup change);

    void SetWorkingGroupMembers(SetWorkingGroupMembers change);

    void DissolveWorkingGroup(DissolveWorkingGroup change);

    void MergeCommittees(MergeCommittees change);

    void DissolveCommittee(DissolveCommittee change);

    void AssignPostHolder(AssignPostHolder change);

    void RevokeDecisionEffects(RevokeDecisionEffects change);
}
