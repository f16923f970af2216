using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Membership.UseCases;

/// <summary>A committee as of a date, in the register it was loaded with, and its stored compliance status.</summary>
public sealed record CommitteeOnDate(Register Register, CommitteeAsOf AsOf, ComplianceStatus? Compliance);

/// <summary>The committees a list selects (unordered) with the compliance status of each evaluated one.</summary>
public sealed record CommitteesOnDate(Register Register, IReadOnlyList<Committee> Committees, IReadOnlyDictionary<string, ComplianceStatus> Compliance);

/// <summary>ListCommittees' filters, which AND together; empty ones select everything (the states: ACTIVE only).</summary>
public sealed record CommitteeFilter(
    IReadOnlyCollection<CommitteeLevel> Levels,
    IReadOnlyCollection<string> Jurisdictions,
    IReadOnlyCollection<CommitteeState> States,
    IReadOnlyCollection<ComplianceStatus> ComplianceStatuses,
    IReadOnlyList<string> SearchWords);

/// <summary>A committee to create outside a decision: everything but its id, which may be chosen or derived.</summary>
public sealed record NewCommittee(
    string DisplayName,
    CommitteeLevel Level,
    string Jurisdiction,
    string? ParentId,
    IReadOnlyCollection<MandateTopic> Mandate,
    FocalAgency? FocalAgency,
    CivilDate? FoundingDate,
    string? Description,
    IReadOnlyList<string> OtherSpellings,
    CommitteeContact Contact);

/// <summary>The clerical fields of a committee (the rest change only through decisions).</summary>
public sealed record CommitteeClericalFields(string? Description, CommitteeContact Contact, IReadOnlyList<string> OtherSpellings);

/// <summary>A merge: the merged committee, its successor, the day it took effect and the decision.</summary>
public sealed record LineageLink(string Predecessor, string Successor, CivilDate EffectiveDate, string? DecisionId);

public sealed class CommitteeUseCases(MembershipDbContext db, RegisterAccess access, Caller caller, MembershipClock clock)
{
    public async Task<CommitteeOnDate> GetAsync(string id, DateOnly date, CancellationToken cancellationToken)
    {
        var (register, committee) = await access.LoadCommitteeAsync(id, cancellationToken);
        return new(register, register.AsOf(committee, date), await access.ComplianceOfAsync(id, cancellationToken));
    }

    public async Task<CommitteesOnDate> ListAsync(CommitteeFilter filter, DateOnly date, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.Committees.AsQueryable();
        if (filter.Levels.Count > 0)
        {
            query = query.Where(c => filter.Levels.Contains(c.Level));
        }

        if (filter.Jurisdictions.Count > 0)
        {
            query = query.Where(c => filter.Jurisdictions.Contains(c.Jurisdiction));
        }

        foreach (var word in filter.SearchWords)
        {
            query = query.Where(c => EF.Property<string>(c, MembershipDbContext.SearchText).Contains(word));
        }

        var (register, ids) = await access.LoadCommitteesAsync(query, cancellationToken);
        var statusOf = await db.CommitteeCompliance.ToDictionaryAsync(c => c.CommitteeId, c => c.Status, cancellationToken);
        var wanted = filter.States.Count > 0 ? filter.States : [CommitteeState.Active];
        var matching = ids.Select(id => register.FindCommittee(id)!).Where(c => wanted.Contains(c.StateOn(date))
            && (filter.ComplianceStatuses.Count == 0 || (statusOf.TryGetValue(c.Id, out var status) && filter.ComplianceStatuses.Contains(status))));
        return new(register, [.. matching], statusOf);
    }

    /// <summary>
    /// Creates a committee outside a decision (a register catching up with one it does not hold), under the chosen id
    /// or one derived from the jurisdiction, when its jurisdiction has no committee open on its founding date.
    /// </summary>
    public async Task<CommitteeOnDate> CreateAsync(string? requestedId, NewCommittee draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        caller.EnsureCanWrite(draft.Jurisdiction);
        var id = requestedId ?? await FreeCommitteeIdAsync(draft.Jurisdiction, cancellationToken);
        if (await db.Committees.AnyAsync(c => c.Id == id, cancellationToken))
        {
            throw new ResourceAlreadyExistsException(ResourceNames.Committee.Format(id));
        }

        if (draft.ParentId is { } parentId && !await db.Committees.AnyAsync(c => c.Id == parentId, cancellationToken))
        {
            throw new RequestValidationException("committee.parent", $"committees/{parentId} does not exist");
        }

        await EnsureJurisdictionInForceAsync(draft.Jurisdiction, draft.FoundingDate ?? CivilDate.Of(clock.Today), cancellationToken);
        await EnsureJurisdictionFreeAsync(draft.Jurisdiction, draft.FoundingDate, cancellationToken);
        var committee = new Committee(
            id, draft.Level, draft.Jurisdiction, draft.ParentId, draft.DisplayName, draft.FoundingDate, null, draft.Mandate, draft.FocalAgency)
        {
            Description = draft.Description,
            Contact = draft.Contact,
        };
        committee.OtherSpellings.AddRange(draft.OtherSpellings);
        db.Committees.Add(committee);
        await access.SaveCreatedAsync(committee.ResourceName, token => db.Committees.AnyAsync(c => c.Id == id, token), cancellationToken);
        var register = new Register([committee]);
        var today = clock.Today;
        access.Emit(register, committee, new CommitteeCreated(committee.Id, null, draft.FoundingDate ?? CivilDate.Of(today)));
        await db.SaveChangesAsync(cancellationToken);
        return new(register, register.AsOf(committee, today), null);
    }

    /// <summary>Changes the clerical fields the mask names; the event names them.</summary>
    public async Task<CommitteeOnDate> UpdateAsync(string id, Update<CommitteeClericalFields> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var (register, found) = await access.LoadCommitteeAsync(id, cancellationToken);
        var committee = update.Open(found, found.ResourceName, c => c.Version, c => caller.EnsureCanWrite(c.Jurisdiction));
        update.Set("description", values => committee.Description = values.Description);
        update.Set("contact", values => committee.Contact = values.Contact);
        update.Set("other_spellings", values =>
        {
            committee.OtherSpellings.Clear();
            committee.OtherSpellings.AddRange(values.OtherSpellings);
        });

        var today = clock.Today;
        access.Emit(register, committee, new CommitteeClericalUpdated(committee.Id, [.. update.Paths.Order(StringComparer.Ordinal)], CivilDate.Of(today)));
        await db.SaveChangesAsync(cancellationToken);
        return new(register, register.AsOf(committee, today), await access.ComplianceOfAsync(id, cancellationToken));
    }

    /// <summary>
    /// The committee's lineage: every merge link reachable from it through merges, backwards (predecessors) and
    /// forwards (successors), in the order they took effect.
    /// </summary>
    public async Task<IReadOnlyList<LineageLink>> LineageAsync(string id, CancellationToken cancellationToken)
    {
        var links = await db.Committees.Where(c => c.SuccessorId != null)
            .Select(c => new LineageLink(c.Id, c.SuccessorId!, c.EndDate!.Value, c.EndingDecisionId))
            .ToListAsync(cancellationToken);
        if (!await db.Committees.AnyAsync(c => c.Id == id, cancellationToken))
        {
            throw new ResourceNotFoundException(ResourceNames.Committee.Format(id));
        }

        var reached = new HashSet<string>(StringComparer.Ordinal) { id };
        var pending = new Queue<string>(reached);
        while (pending.TryDequeue(out var current))
        {
            foreach (var link in links.Where(l => l.Predecessor == current || l.Successor == current))
            {
                foreach (var next in new[] { link.Predecessor, link.Successor }.Where(reached.Add))
                {
                    pending.Enqueue(next);
                }
            }
        }

        return [.. links.Where(l => reached.Contains(l.Predecessor))
            .OrderBy(l => l.EffectiveDate).ThenBy(l => l.Predecessor, StringComparer.Ordinal)];
    }

    /// <summary>An id derived from the jurisdiction ("province-2025-52"), with a suffix when it was ever taken.</summary>
    private async Task<string> FreeCommitteeIdAsync(string jurisdiction, CancellationToken cancellationToken)
    {
        var taken = await db.Committees.Where(c => c.Id == jurisdiction || c.Id.StartsWith(jurisdiction + "-")).Select(c => c.Id)
            .ToListAsync(cancellationToken);
        return Enumerable.Range(1, taken.Count + 1)
            .Select(n => n == 1 ? jurisdiction : $"{jurisdiction}-{n}")
            .First(candidate => !taken.Contains(candidate));
    }

    /// <summary>No committee is founded in a province or ministry on or after the day it ceased; its successor gets it.</summary>
    private async Task EnsureJurisdictionInForceAsync(string jurisdiction, CivilDate founding, CancellationToken cancellationToken)
    {
        if ((await db.CeasedJurisdictionsAsync([jurisdiction], cancellationToken)).SingleOrDefault() is { } ceased
            && Jurisdictions.CeasedBy(ceased.End, founding))
        {
            throw new PreconditionFailedException(
                "JURISDICTION_CEASED",
                $"{jurisdiction} ceased on {ceased.End}; a committee founded on {founding} belongs to its successor",
                [new PreconditionViolation("ORGANISATION", jurisdiction, Jurisdictions.InsteadOf(ceased))]);
        }
    }

    /// <summary>A jurisdiction has one committee at a time: none may be open on the new one's founding date.</summary>
    private async Task EnsureJurisdictionFreeAsync(string jurisdiction, CivilDate? founding, CancellationToken cancellationToken)
    {
        var existing = await db.Committees.Where(c => c.Jurisdiction == jurisdiction).ToListAsync(cancellationToken);
        var open = existing.FirstOrDefault(c => founding is { } date ? c.OpenOn(date.FirstDay) : c.EndDate is null);
        if (open is not null)
        {
            throw new PreconditionFailedException(
                "JURISDICTION_HAS_COMMITTEE",
                $"{jurisdiction} already has an open committee, {open.ResourceName}; a jurisdiction has one committee at a time",
                [new PreconditionViolation("COMMITTEE", open.ResourceName, "end it (merge or dissolve) by a decision first")]);
        }
    }
}
