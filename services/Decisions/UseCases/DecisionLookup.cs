using Egov.Steering.Decisions.Data;
using Egov.Steering.Decisions.Domain;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Decisions.UseCases;

/// <summary>How every use case finds a decision, and checks that the caller may write the version it read.</summary>
internal static class DecisionLookup
{
    // Every reader sees every decision, drafts included (the contract's rule); only writes are the owner's.
    public static async Task<Decision> FindAsync(this DecisionsDbContext db, string id, bool tracked, CancellationToken cancellationToken)
    {
        var decisions = tracked ? db.Decisions : db.Decisions.AsNoTracking();
        return await decisions.SingleOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw new ResourceNotFoundException(Decision.NameOf(id));
    }

    /// <summary>PERMISSION_DENIED unless the caller owns it (or is an admin), ABORTED when the etag sent is stale.</summary>
    public static void EnsureWritableBy(this Decision decision, Caller caller, string? etag)
    {
        caller.EnsureCanWrite(decision.OwnerOrganisation);
        EntityTag.EnsureCurrent(etag, decision.Version, decision.Name);
    }
}
