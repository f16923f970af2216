using Egov.Steering.Decisions.Data;
using Egov.Steering.Decisions.Domain;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Decisions.UseCases;

/// <summary>Drafting: a draft is created for the caller's organisation, then edited or deleted by its owner (or an admin).</summary>
internal sealed class DecisionDrafts(DecisionsDbContext db, Caller caller, TimeProvider time)
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<Decision> CreateAsync(string id, DecisionDraft draft, CancellationToken cancellationToken)
    {
        caller.EnsureCanWrite(caller.Organisation);
        var decision = Decision.Create(id, caller.Organisation, draft, Now);
        db.Decisions.Add(decision);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (DecisionsDbContext.IsDecisionIdTaken(exception))
        {
            // The key answers, without a read first: also for a create of the same id that committed a moment before.
            throw new ResourceAlreadyExistsException(Decision.NameOf(id));
        }

        return decision;
    }

    /// <param name="edit">The new draft made from the stored one (UpdateDecision's field mask); it checks what it makes.</param>
    public async Task<Decision> RedraftAsync(string id, string? etag, Func<DecisionDraft, DecisionDraft> edit, CancellationToken cancellationToken)
    {
        var decision = await db.FindAsync(id, tracked: true, cancellationToken);
        decision.EnsureWritableBy(caller, etag);
        decision.EnsureDraft("edited");
        decision.Redraft(edit(decision.ToDraft()), Now);
        await db.SaveChangesAsync(cancellationToken);
        return decision;
    }

    public async Task DeleteAsync(string id, string? etag, CancellationToken cancellationToken)
    {
        var decision = await db.FindAsync(id, tracked: true, cancellationToken);
        decision.EnsureWritableBy(caller, etag);
        decision.EnsureDraft("deleted");
        db.Decisions.Remove(decision);
        await db.SaveChangesAsync(cancellationToken);
    }
}
