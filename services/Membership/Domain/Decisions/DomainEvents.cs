namespace Egov.Steering.Membership.Domain.Decisions;

/// <summary>
/// Something a decision did, in order. <see cref="AggregateVersion"/> is the new version of the aggregate it belongs
/// to (the committee, or the post for <see cref="PostHolderChanged"/>), so consumers can order and de-duplicate.
/// </summary>
public abstract record DomainEvent(string? DecisionId, CivilDate EffectiveDate)
{
    public long AggregateVersion { get; init; }
}

/// <summary>An event about one committee (its aggregate).</summary>
public abstract record CommitteeEvent(string CommitteeId, string? DecisionId, CivilDate EffectiveDate) : DomainEvent(DecisionId, EffectiveDate);

public sealed record CommitteeCreated(string CommitteeId, string? DecisionId, CivilDate EffectiveDate)
    : CommitteeEvent(CommitteeId, DecisionId, EffectiveDate);

public sealed record CommitteeRenamed(string CommitteeId, string PreviousDisplayName, string DisplayName, string? DecisionId, CivilDate EffectiveDate)
    : CommitteeEvent(CommitteeId, DecisionId, EffectiveDate);

public enum CommitteeField
{
    Mandate,
    FocalAgency,
}

/// <summary>The mandate or focal agency changed (contract: CommitteeUpdated with that field in the mask).</summary>
public sealed record CommitteeUpdated(string CommitteeId, CommitteeField Field, string? DecisionId, CivilDate EffectiveDate)
    : CommitteeEvent(CommitteeId, DecisionId, EffectiveDate);

/// <summary>Clerical fields changed by UpdateCommittee (contract: CommitteeUpdated with those paths and no decision).</summary>
public sealed record CommitteeClericalUpdated(string CommitteeId, IReadOnlyList<string> Paths, CivilDate EffectiveDate)
    : CommitteeEvent(CommitteeId, null, EffectiveDate);

public sealed record CommitteeMerged(string CommitteeId, string SuccessorId, string? DecisionId, CivilDate EffectiveDate)
    : CommitteeEvent(CommitteeId, DecisionId, EffectiveDate);

public sealed record CommitteeDissolved(string CommitteeId, string? DecisionId, CivilDate EffectiveDate)
    : CommitteeEvent(CommitteeId, DecisionId, EffectiveDate);

/// <summary>Also raised when a revocation makes an ended membership resume (a new membership).</summary>
public sealed record MembershipStarted(string CommitteeId, string MembershipId, string? DecisionId, CivilDate EffectiveDate)
    : CommitteeEvent(CommitteeId, DecisionId, EffectiveDate);

public sealed record MembershipEnded(string CommitteeId, string MembershipId, string? DecisionId, CivilDate EffectiveDate)
    : CommitteeEvent(CommitteeId, DecisionId, EffectiveDate);

/// <summary>A membership whose planned end a revocation cancelled.</summary>
public sealed record MembershipReopened(string CommitteeId, string MembershipId, string? DecisionId, CivilDate EffectiveDate)
    : CommitteeEvent(CommitteeId, DecisionId, EffectiveDate);

public sealed record MembershipRolesChanged(string CommitteeId, string MembershipId, RoleSet PreviousRoles, RoleSet Roles, string? DecisionId, CivilDate EffectiveDate)
    : CommitteeEvent(CommitteeId, DecisionId, EffectiveDate);

public enum WorkingGroupChange
{
    Established = 1,
    MembersChanged = 2,
    Dissolved = 3,
}

public sealed record WorkingGroupChanged(string CommitteeId, string WorkingGroupId, WorkingGroupChange Change, string? DecisionId, CivilDate EffectiveDate)
    : CommitteeEvent(CommitteeId, DecisionId, EffectiveDate);

public sealed record PostHolderChanged(string PostId, string? PersonId, string? DecisionId, CivilDate EffectiveDate, bool HolderNotRecorded = false)
    : DomainEvent(DecisionId, EffectiveDate);
