using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Events;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Membership.UseCases;

/// <summary>What the use cases share: committees loaded with what they name, people by id, created rows saved, API events emitted.</summary>
public sealed class RegisterAccess(MembershipDbContext db, RegisterStore store, MembershipClock clock)
{
    /// <summary>
    /// The committees a query selects, loaded with what their memberships and groups name and with their predecessors
    /// (for the lineage fields); the ids say which of the loaded committees the query selected.
    /// </summary>
    public async Task<(Register Register, IReadOnlyList<string> Ids)> LoadCommitteesAsync(IQueryable<Committee> query, CancellationToken cancellationToken)
    {
        var ids = await query.Select(c => c.Id).ToListAsync(cancellationToken);
        var register = await store.LoadCommitteesAsync(
            db.CommitteeAggregates.Where(c => ids.Contains(c.Id) || (c.SuccessorId != null && ids.Contains(c.SuccessorId))),
            cancellationToken);
        return (register, ids);
    }

    /// <summary>The committee, loaded as <see cref="LoadCommitteesAsync"/> does, or NOT_FOUND.</summary>
    public async Task<(Register Register, Committee Committee)> LoadCommitteeAsync(string id, CancellationToken cancellationToken)
    {
        var (register, _) = await LoadCommitteesAsync(db.Committees.Where(c => c.Id == id), cancellationToken);
        var committee = register.FindCommittee(id) ?? throw new ResourceNotFoundException(ResourceNames.Committee.Format(id));
        return (register, committee);
    }

    /// <summary>The committee's stored compliance status, if it was evaluated.</summary>
    public Task<ComplianceStatus?> ComplianceOfAsync(string committeeId, CancellationToken cancellationToken) =>
        db.CommitteeCompliance.Where(c => c.CommitteeId == committeeId).Select(c => (ComplianceStatus?)c.Status).SingleOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyDictionary<string, Person>> PeopleAsync(IEnumerable<string?> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.OfType<string>().Distinct().ToList();
        return wanted.Count == 0
            ? new Dictionary<string, Person>()
            : await db.People.AsNoTracking().Where(p => wanted.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
    }

    /// <summary>
    /// Saves a resource created under a given id. A concurrent create that took the id first fails this insert: EF
    /// rolls the transaction back to its savepoint, so the id can be looked up and the answer is ALREADY_EXISTS.
    /// </summary>
    public async Task SaveCreatedAsync(string resourceName, Func<CancellationToken, Task<bool>> exists, CancellationToken cancellationToken)
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
    public void Emit(Register register, Committee committee, CommitteeEvent @event)
    {
        var counted = @event with { AggregateVersion = committee.NextVersion() };
        db.AddOutboxEvent(MembershipEvents.From(register, counted, EventCause.None, clock.Time.GetUtcNow().UtcDateTime));
    }
}
