using Egov.Steering.Types.V1;

namespace Egov.Steering.Changes;

/// <summary>The one switch over <see cref="Change.KindOneofCase"/>: every reading of a change goes through it.</summary>
public static class ChangeKinds
{
    public static T Accept<T>(this Change change, IChangeVisitor<T> visitor)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(visitor);
        return change.KindCase switch
        {
            Change.KindOneofCase.EstablishCommittee => visitor.EstablishCommittee(change.EstablishCommittee),
            Change.KindOneofCase.SetRoster => visitor.SetRoster(change.SetRoster),
            Change.KindOneofCase.Appoint => visitor.Appoint(change.Appoint),
            Change.KindOneofCase.Relieve => visitor.Relieve(change.Relieve),
            Change.KindOneofCase.ChangeRoles => visitor.ChangeRoles(change.ChangeRoles),
            Change.KindOneofCase.SetMandate => visitor.SetMandate(change.SetMandate),
            Change.KindOneofCase.SetFocalAgency => visitor.SetFocalAgency(change.SetFocalAgency),
            Change.KindOneofCase.RenameCommittee => visitor.RenameCommittee(change.RenameCommittee),
            Change.KindOneofCase.EstablishWorkingGroup => visitor.EstablishWorkingGroup(change.EstablishWorkingGroup),
            Change.KindOneofCase.SetWorkingGroupMembers => visitor.SetWorkingGroupMembers(change.SetWorkingGroupMembers),
            Change.KindOneofCase.DissolveWorkingGroup => visitor.DissolveWorkingGroup(change.DissolveWorkingGroup),
            Change.KindOneofCase.MergeCommittees => visitor.MergeCommittees(change.MergeCommittees),
            Change.KindOneofCase.DissolveCommittee => visitor.DissolveCommittee(change.DissolveCommittee),
            Change.KindOneofCase.AssignPostHolder => visitor.AssignPostHolder(change.AssignPostHolder),
            Change.KindOneofCase.RevokeDecisionEffects => visitor.RevokeDecisionEffects(change.RevokeDecisionEffects),
            Change.KindOneofCase.None => visitor.NoKind(),
            // A kind added to the proto and not here: ChangeKindsTests fails before any service sees one.
            _ => throw new ArgumentOutOfRangeException(nameof(change), change.KindCase, "a kind of change this code does not know"),
        };
    }
}
