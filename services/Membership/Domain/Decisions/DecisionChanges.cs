namespace Egov.Steering.Membership.Domain.Decisions;

/// <summary>
/// A decision as the register applies it: its id ("decisions/{id}" without the prefix; empty for an unsaved draft),
/// number, kinds, effective date (each change's default), subject committees (each must exist and belong to the owner),
/// the organisation owning it and the ordered changes.
/// </summary>
public sealed record DecisionToApply(
    string DecisionId,
    string? Number,
    CivilDate EffectiveDate,
    IReadOnlyList<DecisionKind> Kinds,
    IReadOnlyList<string> SubjectCommitteeIds,
    string OwnerOrganisation,
    IReadOnlyList<DecisionChange> Changes)
{
    /// <summary>
    /// For an issued decision, the committees its changes act on, each with the field naming it: each must be a
    /// subject committee, or the decision would be applied outside that committee's issue order. Empty for a preview:
    /// Decisions checks that rule itself before asking.
    /// </summary>
    public IReadOnlyList<ChangedCommittee> ChangedCommittees { get; init; } = [];

    /// <summary>The decisions it is based on (căn cứ), as cited; compliance reads them (a decision implementing 701 responds to it).</summary>
    public IReadOnlyList<string> LegalBasis { get; init; } = [];

    /// <summary>
    /// The registered decisions it cites as legal basis (căn cứ): it cannot take effect before them, which narrows an
    /// imprecise effective date (see <see cref="UncertainDates"/>).
    /// </summary>
    public IReadOnlyList<string> LegalBasisDecisionIds { get; init; } = [];
}

/// <summary>A committee a change acts on, and the field of the decision that names it ("changes[2].appoint.committee").</summary>
public sealed record ChangedCommittee(string Field, string CommitteeId);

/// <summary>One change of a decision. <see cref="Path"/> is its field path in the decision, e.g. "changes[3].appoint".</summary>
public abstract record DecisionChange(string Path, CivilDate? EffectiveDate)
{
    /// <summary>Calls the method of <paramref name="visitor"/> for this kind of change.</summary>
    public abstract void Accept(IDecisionChangeVisitor visitor);
}

public sealed record RosterSeat(Holder Holder, RoleSet Roles);

public sealed record GroupSeat(Holder Holder, WorkingGroupRole Role);

/// <summary>Which membership a change acts on: by id, or the holder's membership in force in the committee.</summary>
public sealed record MembershipTarget(string CommitteeId, string? MembershipId, Holder? Holder);

public sealed record EstablishCommittee(
    string Path,
    CivilDate? EffectiveDate,
    string CommitteeId,
    string DisplayName,
    CommitteeLevel Level,
    string Jurisdiction,
    string? ParentId,
    IReadOnlyList<MandateTopic> Mandate,
    FocalAgency? FocalAgency,
    bool AlreadyExisted = false) : DecisionChange(Path, EffectiveDate)
{
    public override void Accept(IDecisionChangeVisitor visitor) => visitor.EstablishCommittee(this);
}

public sealed record SetRoster(string Path, CivilDate? EffectiveDate, string CommitteeId, IReadOnlyList<RosterSeat> Seats, string? EndReason)
    : DecisionChange(Path, EffectiveDate)
{
    public override void Accept(IDecisionChangeVisitor visitor) => visitor.SetRoster(this);
}

public sealed record Appoint(string Path, CivilDate? EffectiveDate, string CommitteeId, RosterSeat Seat)
    : DecisionChange(Path, EffectiveDate)
{
    public override void Accept(IDecisionChangeVisitor visitor) => visitor.Appoint(this);
}

public sealed record Relieve(string Path, CivilDate? EffectiveDate, MembershipTarget Target, string? Reason)
    : DecisionChange(Path, EffectiveDate)
{
    public override void Accept(IDecisionChangeVisitor visitor) => visitor.Relieve(this);
}

public sealed record ChangeRoles(string Path, CivilDate? EffectiveDate, MembershipTarget Target, RoleSet Roles)
    : DecisionChange(Path, EffectiveDate)
{
    public override void Accept(IDecisionChangeVisitor visitor) => visitor.ChangeRoles(this);
}

public sealed record SetMandate(string Path, CivilDate? EffectiveDate, string CommitteeId, IReadOnlyList<MandateTopic> Mandate)
    : DecisionChange(Path, EffectiveDate)
{
    public override void Accept(IDecisionChangeVisitor visitor) => visitor.SetMandate(this);
}

public sealed record SetFocalAgency(string Path, CivilDate? EffectiveDate, string CommitteeId, FocalAgency FocalAgency)
    : DecisionChange(Path, EffectiveDate)
{
    public override void Accept(IDecisionChangeVisitor visitor) => visitor.SetFocalAgency(this);
}

public sealed record RenameCommittee(string Path, CivilDate? EffectiveDate, string CommitteeId, string DisplayName)
    : DecisionChange(Path, EffectiveDate)
{
    public override void Accept(IDecisionChangeVisitor visitor) => visitor.RenameCommittee(this);
}

public sealed record EstablishWorkingGroup(
    string Path,
    CivilDate? EffectiveDate,
    string CommitteeId,
    string WorkingGroupId,
    string DisplayName,
    string? Purpose,
    IReadOnlyList<GroupSeat> Seats) : DecisionChange(Path, EffectiveDate)
{
    public override void Accept(IDecisionChangeVisitor visitor) => visitor.EstablishWorkingGroup(this);
}

public sealed record SetWorkingGroupMembers(string Path, CivilDate? EffectiveDate, string CommitteeId, string WorkingGroupId, IReadOnlyList<GroupSeat> Seats)
    : DecisionChange(Path, EffectiveDate)
{
    public override void Accept(IDecisionChangeVisitor visitor) => visitor.SetWorkingGroupMembers(this);
}

public sealed record DissolveWorkingGroup(string Path, CivilDate? EffectiveDate, string CommitteeId, string WorkingGroupId)
    : DecisionChange(Path, EffectiveDate)
{
    public override void Accept(IDecisionChangeVisitor visitor) => visitor.DissolveWorkingGroup(this);
}

public sealed record MergeCommittees(string Path, CivilDate? EffectiveDate, IReadOnlyList<string> CommitteeIds, string SuccessorId)
    : DecisionChange(Path, EffectiveDate)
{
    public override void Accept(IDecisionChangeVisitor visitor) => visitor.MergeCommittees(this);
}

public sealed record DissolveCommittee(string Path, CivilDate? EffectiveDate, string CommitteeId)
    : DecisionChange(Path, EffectiveDate)
{
    public override void Accept(IDecisionChangeVisitor visitor) => visitor.DissolveCommittee(this);
}

/// <summary>
/// Records a post's holder from the effective date on; a null person means the post becomes vacant, or, with
/// <paramref name="HolderNotRecorded"/>, that the source does not say who followed.
/// </summary>
public sealed record AssignPostHolder(string Path, CivilDate? EffectiveDate, string PostId, string? PersonId, bool HolderNotRecorded = false)
    : DecisionChange(Path, EffectiveDate)
{
    public override void Accept(IDecisionChangeVisitor visitor) => visitor.AssignPostHolder(this);
}

public sealed record RevokeDecisionEffects(string Path, CivilDate? EffectiveDate, string RevokedDecisionId)
    : DecisionChange(Path, EffectiveDate)
{
    public override void Accept(IDecisionChangeVisitor visitor) => visitor.RevokeDecisionEffects(this);
}
