using Egov.Steering.Decisions.Data;
using Egov.Steering.Decisions.Domain;
using Egov.Steering.Decisions.Events;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Decisions.UseCases;

/// <summary>
/// Issuing a draft, and revoking an issued decision by issuing its revoking decision. Each runs in two steps: the
/// validation, outside any transaction (Membership's dry run may be slow), then the issue itself, in the write's
/// transaction with no remote call, only if what was validated is still the current version (else ABORTED).
/// </summary>
internal sealed class DecisionIssuing(DecisionsDbContext db, Caller caller, DecisionValidation validation, TimeProvider time)
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<ValidatedIssue> ValidateIssueAsync(string id, string? etag, CancellationToken cancellationToken)
    {
        var draft = await db.FindAsync(id, tracked: false, cancellationToken);
        draft.EnsureWritableBy(caller, etag);
        draft.EnsureDraft("issued");
        return new ValidatedIssue(draft.Version, await ValidateForIssueAsync(draft, cancellationToken));
    }

    public async Task<Decision> IssueAsync(string id, ValidatedIssue validated, CancellationToken cancellationToken)
    {
        // The version validated, or ABORTED: an edit made meanwhile was not validated.
        var decision = await db.FindAsync(id, tracked: true, cancellationToken);
        decision.EnsureWritableBy(caller, EntityTag.Of(validated.Version));
        await IssueValidatedAsync(decision, validated.Route, cancellationToken);
        return decision;
    }

    /// <summary>The revocation is validated as built from the revoked decision as read: the same version gives the same revocation.</summary>
    public async Task<ValidatedIssue> ValidateRevocationAsync(Revocation revocation, string? etag, CancellationToken cancellationToken)
    {
        var revoked = await FindRevocableAsync(revocation, etag, cancellationToken);
        return new ValidatedIssue(revoked.Version, await ValidateForIssueAsync(RevokingDecision(revocation, revoked), cancellationToken));
    }

    public async Task<Decision> RevokeAsync(Revocation revocation, ValidatedIssue validated, CancellationToken cancellationToken)
    {
        // The revoked decision as validated, or ABORTED: its revocation was validated against that version.
        var revoking = RevokingDecision(revocation, await FindRevocableAsync(revocation, EntityTag.Of(validated.Version), cancellationToken));
        db.Decisions.Add(revoking);
        await IssueValidatedAsync(revoking, validated.Route, cancellationToken);
        return revoking;
    }

    // Every problem → FAILED_PRECONDITION; else the route of the decision's events.
    private async Task<EventRoute> ValidateForIssueAsync(Decision decision, CancellationToken cancellationToken)
    {
        var verdict = await validation.ValidateAsync(decision, cancellationToken);
        if (verdict.Problems.Count > 0)
        {
            throw new DecisionRuleException(
                "DECISION_HAS_PROBLEMS",
                $"{decision.Name} cannot be issued: {verdict.Problems.Count} problem(s); ValidateDecision lists them",
                verdict.Problems.Select(problem => new RuleViolation(problem.Reason, problem.Field, problem.Description)).ToList());
        }

        return verdict.Route!;
    }

    /// <summary>
    /// Freezes the validated decision, numbers it in each subject committee's issue order and adds DecisionIssued to
    /// the outbox, on the one ordering key of all issued decisions.
    /// </summary>
    private async Task IssueValidatedAsync(Decision decision, EventRoute route, CancellationToken cancellationToken)
    {
        decision.Issue(route, Now);
        // Claimed before the outbox row is inserted: an issue waiting for a committee's number inserts its row after
        // the one holding it has committed, so the key's insert order is each committee's issue order.
        var sequences = await CommitteeIssueSequences.ClaimNextAsync(db, decision.SubjectCommittees, cancellationToken);
        db.AddOutboxEvent(DecisionEvents.Issued(decision, sequences, Now), DecisionEvents.IssuedOrderingKey);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (DecisionsDbContext.IsIssuedNumberTaken(exception))
        {
            throw new DecisionRuleException(
                "DECISION_HAS_PROBLEMS",
                $"{decision.Name} cannot be issued: its number was issued meanwhile",
                [new RuleViolation("NUMBER_ALREADY_USED", "number", $"{decision.IssuerOrganisation} already issued number \"{decision.Number}\"")]);
        }
    }

    // Read, not written: the revoked decision changes only when the revocation is applied. One revocation in force
    // (or pending) is enough.
    private async Task<Decision> FindRevocableAsync(Revocation revocation, string? etag, CancellationToken cancellationToken)
    {
        var revoked = await db.FindAsync(revocation.RevokedId, tracked: false, cancellationToken);
        revoked.EnsureWritableBy(caller, etag);
        revoked.EnsureRevocable();
        var pending = await db.Decisions
            .Where(d => d.Revokes == revoked.Name && (d.State == DecisionState.Issued || d.State == DecisionState.Applied))
            .Select(d => d.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (pending is not null)
        {
            throw new DecisionRuleException(
                "DECISION_ALREADY_REVOKED",
                $"{revoked.Name} is already revoked by {Decision.NameOf(pending)}",
                [new RuleViolation("STATE", revoked.Name, $"revoked by {Decision.NameOf(pending)}")]);
        }

        if (await db.Decisions.AnyAsync(d => d.Id == revocation.RevokingId, cancellationToken))
        {
            throw new ResourceAlreadyExistsException(Decision.NameOf(revocation.RevokingId));
        }

        return revoked;
    }

    private Decision RevokingDecision(Revocation revocation, Decision revoked) => Decision.CreateRevocation(
        revocation.RevokingId, revoked.OwnerOrganisation, revoked, revocation.EndingEffects, revocation.Draft, Now);
}

/// <summary>What the validation before issuing settled: the version validated and where the decision's events go.</summary>
internal sealed record ValidatedIssue(int Version, EventRoute Route);

/// <summary>
/// RevokeDecision's request: the revoked decision, the revoking one's id and draft, and the change that ends the
/// revoked decision's effects (the revoking decision's first change).
/// </summary>
internal sealed record Revocation(string RevokedId, string RevokingId, DecisionDraft Draft, DecisionChange EndingEffects);
