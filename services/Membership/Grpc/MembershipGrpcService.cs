using Egov.Steering.Membership.Compliance;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Events;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.Membership.Views;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.Writes;
using Microsoft.EntityFrameworkCore;
using V1 = Egov.Steering.Membership.V1;

namespace Egov.Steering.Membership.Grpc;

/// <summary>
/// egov.steering.membership.v1.MembershipService. Reads answer as of a date (default today in Vietnam); writes are
/// checked against the caller's organisation and run through <see cref="IdempotentWrites"/> (request_id, audit row,
/// and the change with its outbox events in one transaction). One file per area: committees, memberships, working
/// groups, people, posts, compliance rules, preview.
/// </summary>
public sealed partial class MembershipGrpcService(
    MembershipDbContext db,
    RegisterStore store,
    Caller caller,
    IdempotentWrites writes,
    CommitteeViews views,
    ComplianceRecalculator compliance,
    MembershipClock clock) : V1.MembershipService.MembershipServiceBase
{
    private DateOnly Today => clock.Today;

    /// <summary>The committee in its contract form as of the date, with its stored compliance status.</summary>
    private async Task<V1.Committee> CommitteeAsync(Register register, Committee committee, DateOnly date, CancellationToken cancellationToken)
    {
        var status = await db.CommitteeCompliance.Where(c => c.CommitteeId == committee.Id).Select(c => (ComplianceStatus?)c.Status)
            .SingleOrDefaultAsync(cancellationToken);
        return ContractMapper.Committee(register, register.AsOf(committee, date), status);
    }

    /// <summary>
    /// The committees a query selects, loaded with what their memberships and groups name and with their predecessors
    /// (for the lineage fields); the ids say which of the loaded committees the query selected.
    /// </summary>
    private async Task<(Register Register, IReadOnlyList<string> Ids)> LoadCommitteesAsync(IQueryable<Committee> query, CancellationToken cancellationToken)
    {
        var ids = await query.Select(c => c.Id).ToListAsync(cancellationToken);
        var register = await store.LoadCommitteesAsync(
            db.CommitteeAggregates.Where(c => ids.Contains(c.Id) || (c.SuccessorId != null && ids.Contains(c.SuccessorId))),
            cancellationToken);
        return (register, ids);
    }

    /// <summary>The committee, loaded as <see cref="LoadCommitteesAsync"/> does, or NOT_FOUND.</summary>
    private async Task<(Register Register, Committee Committee)> LoadCommitteeAsync(string id, CancellationToken cancellationToken)
    {
        var (register, _) = await LoadCommitteesAsync(db.Committees.Where(c => c.Id == id), cancellationToken);
        var committee = register.FindCommittee(id) ?? throw new ResourceNotFoundException("committees/" + id);
        return (register, committee);
    }

    /// <summary>
    /// Saves a resource created under a given id. A concurrent create that took the id first fails this insert: EF
    /// rolls the transaction back to its savepoint, so the id can be looked up and the answer is ALREADY_EXISTS.
    /// </summary>
    private async Task SaveCreatedAsync(string resourceName, Func<CancellationToken, Task<bool>> exists, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            if (await exists(cancellationToken))
            {
                throw new ResourceAlreadyExistsException(resourceName);
            }

            throw;
        }
    }

    /// <summary>Adds the event of an API write to the outbox, in the write's transaction; the committee counts its version.</summary>
    private void Emit(Register register, Committee committee, CommitteeEvent @event)
    {
        var counted = @event with { AggregateVersion = committee.NextVersion() };
        db.AddOutboxEvent(MembershipEvents.From(register, counted, EventCause.None, clock.Time.GetUtcNow().UtcDateTime));
    }
}
