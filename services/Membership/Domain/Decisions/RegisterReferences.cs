using System.Linq.Expressions;

namespace Egov.Steering.Membership.Domain.Decisions;

/// <summary>
/// The ids of the parts of the register a load must bring: the committees, posts and people named, the jurisdictions
/// whose committees matter, the decisions revoked and the memberships named by id. <see cref="Of"/> collects what a
/// decision's changes refer to, one method per kind of change.
/// </summary>
public sealed class RegisterReferences : IDecisionChangeVisitor
{
    public HashSet<string> CommitteeIds { get; } = new(StringComparer.Ordinal);

    public HashSet<string> PostIds { get; } = new(StringComparer.Ordinal);

    public HashSet<string> PersonIds { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Jurisdictions { get; } = new(StringComparer.Ordinal);

    public List<string> RevokedDecisionIds { get; } = [];

    public List<string> MembershipIds { get; } = [];

    /// <summary>A change acts on every membership of its committee: a roster set whole, a committee ended, a decision revoked.</summary>
    public bool ReadsWholeRosters { get; private set; }

    /// <summary>The decision's subject committees and what its changes refer to.</summary>
    public static RegisterReferences Of(DecisionToApply decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var references = new RegisterReferences();
        references.CommitteeIds.UnionWith(decision.SubjectCommitteeIds);
        foreach (var change in decision.Changes)
        {
            change.Accept(references);
        }

        return references;
    }

    /// <summary>
    /// The memberships whose presence can change the outcome of a dry run (<see cref="DecisionEngine.Preview"/>) of the
    /// decision: every one when a change <see cref="ReadsWholeRosters"/>; otherwise those named by id, those of the
    /// people and posts it names (ALREADY_A_MEMBER, a membership found by its holder) and those that were ever chair
    /// (SECOND_CHAIR) — no other membership is read by its changes' checks. Applying reads whole rosters still: the
    /// compliance it re-evaluates counts every member.
    /// </summary>
    public Expression<Func<CommitteeMembership, bool>> MembershipsADryRunMeets()
    {
        if (ReadsWholeRosters)
        {
            return _ => true;
        }

        var (membershipIds, people, posts) = (MembershipIds, PersonIds, PostIds);
        return Disjunction.Of<CommitteeMembership>(
            membershipIds.Count > 0 ? m => membershipIds.Contains(m.Id) : null,
            people.Count > 0 ? m => people.Contains(m.PersonId!) : null,
            posts.Count > 0 ? m => posts.Contains(m.PostId!) : null,
            m => m.RolePeriods.Any(p => p.Roles.Contains(MembershipRole.Chair)));
    }

    /// <summary>
    /// The committees' decision records a dry run of the decision can meet: those of the decisions it revokes. The
    /// changes' checks read no others; what does — the record's confirmation, the last consolidation, compliance — is
    /// built when a decision is applied, not by its dry run.
    /// </summary>
    public Expression<Func<CommitteeDecision, bool>> DecisionRecordsADryRunMeets()
    {
        var revoked = RevokedDecisionIds;
        return Disjunction.Of<CommitteeDecision>(revoked.Count > 0 ? d => revoked.Contains(d.DecisionId) : null);
    }

    /// <summary>The post and the person a seat's holder names.</summary>
    public void AddHolder(Holder holder)
    {
        ArgumentNullException.ThrowIfNull(holder);
        if (holder.PostId is not null)
        {
            PostIds.Add(holder.PostId);
        }

        if (holder.PersonId is not null)
        {
            PersonIds.Add(holder.PersonId);
        }
    }

    void IDecisionChangeVisitor.EstablishCommittee(EstablishCommittee change)
    {
        CommitteeIds.Add(change.CommitteeId);
        if (change.ParentId is not null)
        {
            CommitteeIds.Add(change.ParentId);
        }

        Jurisdictions.Add(change.Jurisdiction);
    }

    void IDecisionChangeVisitor.SetRoster(SetRoster change)
    {
        AddSeats(change.CommitteeId, change.Seats.Select(seat => seat.Holder));
        ReadsWholeRosters = true;
    }

    void IDecisionChangeVisitor.Appoint(Appoint change) => AddSeats(change.CommitteeId, [change.Seat.Holder]);

    void IDecisionChangeVisitor.Relieve(Relieve change) => AddTarget(change.Target);

    void IDecisionChangeVisitor.ChangeRoles(ChangeRoles change) => AddTarget(change.Target);

    void IDecisionChangeVisitor.SetMandate(SetMandate change) => CommitteeIds.Add(change.CommitteeId);

    void IDecisionChangeVisitor.SetFocalAgency(SetFocalAgency change) => CommitteeIds.Add(change.CommitteeId);

    void IDecisionChangeVisitor.RenameCommittee(RenameCommittee change) => CommitteeIds.Add(change.CommitteeId);

    void IDecisionChangeVisitor.EstablishWorkingGroup(EstablishWorkingGroup change) =>
        AddSeats(change.CommitteeId, change.Seats.Select(seat => seat.Holder));

    void IDecisionChangeVisitor.SetWorkingGroupMembers(SetWorkingGroupMembers change) =>
        AddSeats(change.CommitteeId, change.Seats.Select(seat => seat.Holder));

    void IDecisionChangeVisitor.DissolveWorkingGroup(DissolveWorkingGroup change) => CommitteeIds.Add(change.CommitteeId);

    void IDecisionChangeVisitor.MergeCommittees(MergeCommittees change)
    {
        CommitteeIds.UnionWith(change.CommitteeIds);
        CommitteeIds.Add(change.SuccessorId);
        ReadsWholeRosters = true;
    }

    void IDecisionChangeVisitor.DissolveCommittee(DissolveCommittee change)
    {
        CommitteeIds.Add(change.CommitteeId);
        ReadsWholeRosters = true;
    }

    void IDecisionChangeVisitor.AssignPostHolder(AssignPostHolder change)
    {
        PostIds.Add(change.PostId);
        if (change.PersonId is not null)
        {
            PersonIds.Add(change.PersonId);
        }
    }

    void IDecisionChangeVisitor.RevokeDecisionEffects(RevokeDecisionEffects change)
    {
        RevokedDecisionIds.Add(change.RevokedDecisionId);
        ReadsWholeRosters = true;
    }

    private void AddSeats(string committeeId, IEnumerable<Holder> holders)
    {
        CommitteeIds.Add(committeeId);
        foreach (var holder in holders)
        {
            AddHolder(holder);
        }
    }

    private void AddTarget(MembershipTarget target)
    {
        CommitteeIds.Add(target.CommitteeId);
        if (target.MembershipId is not null)
        {
            MembershipIds.Add(target.MembershipId);
        }

        if (target.Holder is not null)
        {
            AddHolder(target.Holder);
        }
    }
}
