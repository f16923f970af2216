using Egov.Steering.Membership.Compliance;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Events;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Outbox;

namespace Egov.Steering.Membership.UseCases;

/// <summary>
/// Applies an issued decision in the caller's unit of work (the inbox's transaction): every change, the fine-grained
/// events, the compliance of the committees it touched and, last, DecisionApplied, all tracked for the caller's save.
/// A rejected or repeated decision adds nothing; the caller answers it.
/// </summary>
public sealed class DecisionApplicationUseCase(MembershipDbContext db, RegisterStore store, ComplianceRecalculator compliance)
{
    public async Task<DecisionOutcome> ApplyAsync(DecisionToApply decision, EventCause cause, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var (outcome, applied) = await store.ApplyToRegisterAsync(decision, cancellationToken);
        if (outcome.Result != DecisionResult.Applied)
        {
            return outcome;
        }

        // Nothing is saved before the caller's save: each save scans every tracked entity (the committee's whole roster)
        // for changes. The events and compliance are built from the register the decision was applied to, which holds
        // every committee it touched; the posts whose holder changed get their new holders, for PostHolderChanged.
        var holderChanges = outcome.Events.OfType<PostHolderChanged>().ToList();
        await store.AddMissingAsync(applied, holderChanges.Select(c => c.PostId), holderChanges.Select(c => c.PersonId).OfType<string>(), cancellationToken);
        foreach (var domainEvent in outcome.Events)
        {
            db.AddOutboxEvent(MembershipEvents.From(applied, domainEvent, cause, now));
        }

        // The outcome last, listing every version the decision's events (its compliance flips included) reached:
        // consumers that order per aggregate show it after them, whatever order the outbox's partitions go out in.
        await compliance.RecomputeAsync(applied, outcome.AffectedCommitteeIds, cause, cancellationToken);
        db.AddOutboxEvent(MembershipEvents.Applied(applied, decision, outcome.AffectedCommitteeIds, db.PendingOutboxVersions(), cause, now));
        return outcome;
    }
}
