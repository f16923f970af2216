using System.Linq.Expressions;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Storage;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Membership.Data;

/// <summary>
/// Loads the part of the register a decision or a read needs, tracked by the context, and adds what the engine
/// created; <c>SaveChangesAsync</c> on the context then writes it all in one transaction. Every load is made of several
/// queries and reads one snapshot (<see cref="SnapshotReads"/>), so a decision committed meanwhile is seen whole or not at all.
/// </summary>
public sealed class RegisterStore(MembershipDbContext db, MembershipClock clock)
{
    private LoadedFor? _lastApplied;

    /// <summary>
    /// PreviewChanges: what the decision would do to the stored register, and that register (before the changes);
    /// nothing is changed. Read without tracking: nothing of it is saved, and tracking cost as much as the reading.
    /// Of each committee's memberships and decision records only those a dry run can meet are read
    /// (<see cref="RegisterReferences.MembershipsADryRunMeets"/>): an appointment reads a few, not the roster.
    /// </summary>
    public async Task<(DecisionOutcome Outcome, Register Register)> PreviewAsync(DecisionToApply decision, CancellationToken cancellationToken = default)
    {
        var tracking = db.ChangeTracker.QueryTrackingBehavior;
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTrackingWithIdentityResolution;
        try
        {
            var register = await LoadForAsync(decision, dryRun: true, cancellationToken);
            return (DecisionEngine.Preview(register, decision), register);
        }
        finally
        {
            db.ChangeTracker.QueryTrackingBehavior = tracking;
        }
    }

    /// <summary>
    /// Applies the decision to the stored register and tracks the result; the caller saves it in its transaction
    /// together with the outbox rows of <see cref="DecisionOutcome.Events"/>. A rejected or repeated decision
    /// leaves the context unchanged.
    /// </summary>
    public async Task<DecisionOutcome> ApplyAsync(DecisionToApply decision, CancellationToken cancellationToken = default) =>
        (await ApplyToRegisterAsync(decision, cancellationToken)).Outcome;

    /// <summary>
    /// As <see cref="ApplyAsync"/>, with the register the decision was applied to: it holds every committee the
    /// decision touched (those it created too), so the caller builds the events and re-evaluates compliance from it
    /// instead of loading those committees again. The next decision applied in the same unit of work (a committee's
    /// queued decisions, applied in one transaction) goes on that register when it holds all the next one needs
    /// (<see cref="ReusableForAsync"/>) instead of loading the committee again.
    /// </summary>
    public async Task<(DecisionOutcome Outcome, Register Register)> ApplyToRegisterAsync(
        DecisionToApply decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        _lastApplied = await ReusableForAsync(decision, cancellationToken)
            ?? await db.InSnapshotAsync(token => LoadForInSnapshotAsync(decision, dryRun: false, token), cancellationToken);
        var register = _lastApplied.Register;
        var outcome = DecisionEngine.Apply(register, decision);
        if (outcome.Result == DecisionResult.Applied)
        {
            Track(register);
        }

        return (outcome, register);
    }

    /// <summary>
    /// The register the previous decision of this unit of work was applied to, when it still is what the context
    /// tracks (a transaction started again clears the context) and holds all <paramref name="decision"/> needs: its
    /// committees and jurisdictions among those loaded, its memberships named by id among the loaded ones, nothing
    /// revoked, and no earlier memberships or decision records relevant (<see cref="RelevantFrom"/>,
    /// <see cref="DecisionRecordsFromAsync"/>) than were loaded. It is completed with the posts, people and applied
    /// decisions this decision names; it holds the earlier decisions' changes, saved in this transaction.
    /// </summary>
    private async Task<LoadedFor?> ReusableForAsync(DecisionToApply decision, CancellationToken cancellationToken)
    {
        if (_lastApplied is not { } last || !last.Register.Committees.Any() || last.Register.Committees.Any(c => db.Entry(c).State == EntityState.Detached))
        {
            return null;
        }

        var references = RegisterReferences.Of(decision);
        var register = last.Register;
        var relevantFrom = RelevantFrom(decision).Year;
        var covered = references.RevokedDecisionIds.Count == 0
            && references.CommitteeIds.IsSubsetOf(last.CommitteeIds)
            && references.Jurisdictions.IsSubsetOf(last.Jurisdictions)
            && relevantFrom >= last.RelevantFrom.Year
            && references.MembershipIds.All(id => register.Committees.Any(c => c.Memberships.Any(m => m.Id == id)))
            && last.DecisionsFrom is { } decisionsFrom
            && LatestConfirmingYears(register, references).All(year => year >= decisionsFrom.Year);
        if (!covered)
        {
            return null;
        }

        await AddMissingAsync(register, references.PostIds, references.PersonIds, cancellationToken);
        var decisionIds = decision.LegalBasisDecisionIds.Append(decision.DecisionId).Where(id => id.Length > 0 && !register.IsApplied(id)).ToList();
        if (decisionIds.Count > 0)
        {
            (await AppliedAsync(decisionIds, cancellationToken)).ForEach(register.MarkApplied);
        }

        return last;
    }

    /// <summary>
    /// In memory, what <see cref="DecisionRecordsFromAsync"/> reads: the year of each referenced committee's latest
    /// record that confirms it, or 0 when none is loaded (it may then lie before what was loaded).
    /// </summary>
    private static IEnumerable<int> LatestConfirmingYears(Register register, RegisterReferences references) =>
        register.Committees
            .Where(c => references.CommitteeIds.Contains(c.Id) || references.Jurisdictions.Contains(c.Jurisdiction))
            .Select(c => c.Decisions.Where(d => d.ChangesCommittee && d.DecisionId != c.EndingDecisionId).Select(d => d.EffectiveDate.Year).DefaultIfEmpty(0).Max());

    /// <summary>
    /// A register and what it was loaded for: the committees and jurisdictions looked up, and from when (no
    /// <see cref="DecisionsFrom"/> for a dry run's load, which holds only the records the dry run meets).
    /// </summary>
    private sealed record LoadedFor(Register Register, HashSet<string> CommitteeIds, HashSet<string> Jurisdictions, CivilDate RelevantFrom, CivilDate? DecisionsFrom);

    /// <summary>
    /// Everything the decision's changes refer to: committees (with predecessors, successors, parents and those of the
    /// same jurisdictions), the posts and people they and their memberships name, what a revoked decision touched,
    /// and whether the decision (or a revoked one, or a legal basis) was applied. Of each committee's memberships only
    /// those the rules can meet (<see cref="RelevantFrom"/>) and of its decision records those they read
    /// (<see cref="DecisionRecordsFromAsync"/>), so applying a decision costs the same however long the committee's
    /// history is. For a <paramref name="dryRun"/>, of those memberships and records only the ones its checks can meet
    /// (<see cref="RegisterReferences.MembershipsADryRunMeets"/>, <see cref="RegisterReferences.DecisionRecordsADryRunMeets"/>).
    /// </summary>
    public Task<Register> LoadForAsync(DecisionToApply decision, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return db.InSnapshotAsync(async token => (await LoadForInSnapshotAsync(decision, dryRun, token)).Register, cancellationToken);
    }

    private async Task<LoadedFor> LoadForInSnapshotAsync(DecisionToApply decision, bool dryRun, CancellationToken cancellationToken)
    {
        var references = RegisterReferences.Of(decision);
        var (committeeIds, jurisdictions, revoked, membershipIds) =
            (references.CommitteeIds, references.Jurisdictions, references.RevokedDecisionIds, references.MembershipIds);

        // Most decisions revoke nothing: then there is nothing a revoked decision touched to look up.
        if (revoked.Count > 0)
        {
            committeeIds.UnionWith(await db.Committees
                .Where(c => c.Decisions.Any(d => revoked.Contains(d.DecisionId)))
                .Select(c => c.Id)
                .ToListAsync(cancellationToken));
            references.PostIds.UnionWith(await db.Posts
                .Where(p => p.Holders.Any(h => h.DecisionId != null && revoked.Contains(h.DecisionId)))
                .Select(p => p.Id)
                .ToListAsync(cancellationToken));
        }

        var relevantFrom = RelevantFrom(decision);
        var memberships = Filtered(c => c.Memberships, Disjunction.Of<CommitteeMembership>(
            m => m.End == null || m.End >= relevantFrom,
            membershipIds.Count > 0 ? m => membershipIds.Contains(m.Id) : null,
            revoked.Count > 0
                ? m => revoked.Contains(m.AppointingDecisionId!) || revoked.Contains(m.EndingDecisionId!) || m.RolePeriods.Any(p => revoked.Contains(p.DecisionId!))
                : null));
        // A dry run reads only the decision records it can meet, so it asks no bound for the others.
        CivilDate? decisionsFrom = dryRun ? null : await DecisionRecordsFromAsync(committeeIds, jurisdictions, relevantFrom, cancellationToken);
        var records = decisionsFrom is { } bound
            ? Filtered(c => c.Decisions, Disjunction.Of<CommitteeDecision>(
                d => d.EffectiveDate >= bound || d.Kinds.Contains(DecisionKind.Consolidate) || d.LegalBasis.Count > 0,
                revoked.Count > 0 ? d => revoked.Contains(d.DecisionId) : null))
            : Filtered(c => c.Decisions, references.DecisionRecordsADryRunMeets());
        var committees = await db.CommitteesWith(dryRun ? Filtered(memberships, references.MembershipsADryRunMeets()) : memberships, records)
            .Where(Named(committeeIds, jurisdictions))
            .ToListAsync(cancellationToken);
        var decisionIds = revoked.Append(decision.DecisionId).Concat(decision.LegalBasisDecisionIds).ToList();
        var applied = await AppliedAsync(decisionIds, cancellationToken);
        return new LoadedFor(await CompleteAsync(committees, references, applied, cancellationToken), committeeIds, jurisdictions, relevantFrom, decisionsFrom);
    }

    /// <summary>The committees named by id and those of the jurisdictions named.</summary>
    private static Expression<Func<Committee, bool>> Named(HashSet<string> committeeIds, HashSet<string> jurisdictions) =>
        Disjunction.Of<Committee>(
            committeeIds.Count > 0 ? c => committeeIds.Contains(c.Id) : null,
            jurisdictions.Count > 0 ? c => jurisdictions.Contains(c.Jurisdiction) : null);

    /// <summary>A committee's collection, for a filtered include, with <paramref name="filter"/> after what it selects (EF Core takes a chain of Where).</summary>
    private static Expression<Func<Committee, IEnumerable<T>>> Filtered<T>(Expression<Func<Committee, IEnumerable<T>>> collection, Expression<Func<T, bool>> filter) =>
        Expression.Lambda<Func<Committee, IEnumerable<T>>>(
            Expression.Call(typeof(Enumerable), nameof(Enumerable.Where), [typeof(T)], collection.Body, filter),
            collection.Parameters);

    /// <summary>
    /// The first year whose memberships a decision's rules can meet: memberships that ended in an earlier year (their
    /// end's first day before January 1st of it) lie wholly before every date the decision acts on and before today,
    /// which compliance is evaluated on, so no check can find them. A decision's changes only start, end or change
    /// seats from their dates on: ALREADY_A_MEMBER and SECOND_CHAIR compare periods that overlap those dates, and pairs
    /// that ended earlier were checked when they were written. A membership named by id, or one a revoked decision
    /// started, ended or gave roles to, is loaded whatever its dates (see <see cref="LoadForInSnapshotAsync"/>).
    /// Stored dates are text ("2019", "2019-05", "2019-05-26"): those of a year on or after it compare on or after its
    /// year alone, whatever their precision.
    /// </summary>
    private CivilDate RelevantFrom(DecisionToApply decision)
    {
        var earliest = decision.Changes.Select(c => (c.EffectiveDate ?? decision.EffectiveDate).FirstDay).Append(decision.EffectiveDate.FirstDay).Min();
        var today = clock.Today;
        return CivilDate.OfYear((earliest < today ? earliest : today).Year);
    }

    /// <summary>
    /// From which year a committee's decision records are loaded whatever they are. The rules and events read the
    /// consolidations (the last one, compliance), those citing a legal basis (compliance), a revoked decision, and the
    /// latest that confirms the record (<see cref="Committee.ConfirmedThrough"/>): loaded are those, and every record
    /// from the year of the latest confirming one (stored dates compare as text; the latest by its last day lies in the
    /// greatest year, which the text's greatest value has) or of <paramref name="relevantFrom"/> if earlier.
    /// </summary>
    private async Task<CivilDate> DecisionRecordsFromAsync(
        HashSet<string> committeeIds, HashSet<string> jurisdictions, CivilDate relevantFrom, CancellationToken cancellationToken)
    {
        var latest = await db.Committees
            .Where(Named(committeeIds, jurisdictions))
            .Select(c => c.Decisions.Where(d => d.ChangesCommittee && d.DecisionId != c.EndingDecisionId).Max(d => (CivilDate?)d.EffectiveDate))
            .ToListAsync(cancellationToken);
        return CivilDate.OfYear(latest.OfType<CivilDate>().Select(d => d.Year).Append(relevantFrom.Year).Min());
    }

    /// <summary>Committees with the posts and people their memberships and working groups name, for as-of reads.</summary>
    public Task<Register> LoadCommitteesAsync(IReadOnlyCollection<string> committeeIds, CancellationToken cancellationToken = default) =>
        LoadCommitteesAsync(db.CommitteeAggregates.Where(c => committeeIds.Contains(c.Id)), cancellationToken);

    /// <summary>The committees (split into one query per collection) and what they name, all from one snapshot.</summary>
    public Task<Register> LoadCommitteesAsync(IQueryable<Committee> committees, CancellationToken cancellationToken = default) =>
        db.InSnapshotAsync(async token => await CompleteAsync(await committees.ToListAsync(token), new RegisterReferences(), [], token), cancellationToken);

    /// <summary>Adds the aggregates the engine created (new committees, applied decisions) to the context.</summary>
    private void Track(Register register)
    {
        ArgumentNullException.ThrowIfNull(register);
        foreach (var committee in register.Committees.Where(c => db.Entry(c).State == EntityState.Detached))
        {
            db.Committees.Add(committee);
        }

        foreach (var decision in register.AppliedDecisions.Where(d => db.Entry(d).State == EntityState.Detached))
        {
            decision.AppliedAt = DateTime.UtcNow;
            db.AppliedDecisions.Add(decision);
        }
    }

    private async Task<Register> CompleteAsync(
        List<Committee> committees,
        RegisterReferences references,
        List<AppliedDecision> applied,
        CancellationToken cancellationToken)
    {
        foreach (var committee in committees)
        {
            foreach (var holder in committee.Memberships.Select(m => m.Holder)
                .Concat(committee.WorkingGroups.SelectMany(g => g.Seats).Select(s => s.Holder)))
            {
                references.AddHolder(holder);
            }
        }

        var posts = await PostsAsync(references.PostIds, cancellationToken);
        references.PersonIds.UnionWith(posts.SelectMany(p => p.Holders).Select(h => h.PersonId).OfType<string>());
        var people = await PeopleAsync(references.PersonIds, cancellationToken);
        var register = new Register(committees, posts, people, applied);
        await AddJurisdictionEndsAsync(register, references.Jurisdictions, cancellationToken);
        return register;
    }

    /// <summary>
    /// Adds to <paramref name="register"/> the posts and people it does not hold yet among those named, and the people
    /// who held the posts it adds.
    /// </summary>
    public async Task AddMissingAsync(Register register, IEnumerable<string> postIds, IEnumerable<string> personIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(register);
        var posts = await PostsAsync([.. postIds.Where(id => register.FindPost(id) is null).Distinct()], cancellationToken);
        posts.ForEach(register.Add);
        var holders = posts.SelectMany(p => p.Holders).Select(h => h.PersonId).OfType<string>();
        foreach (var person in await PeopleAsync([.. personIds.Concat(holders).Where(id => register.FindPerson(id) is null).Distinct()], cancellationToken))
        {
            register.Add(person);
        }
    }

    /// <summary>Which of the decisions were applied (the register's memory of them).</summary>
    private Task<List<AppliedDecision>> AppliedAsync(IReadOnlyCollection<string> decisionIds, CancellationToken cancellationToken) =>
        db.AppliedDecisions.Where(d => decisionIds.Contains(d.DecisionId)).ToListAsync(cancellationToken);

    // No round trip for an empty list: most decisions name no post, and some no person.
    private async Task<List<Post>> PostsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? [] : await db.PostAggregates.Where(p => ids.Contains(p.Id)).ToListAsync(cancellationToken);

    // Untracked: decisions never change people (they name them), and tracking a roster's people cost its snapshots
    // on load and a scan of each at the save.
    private async Task<List<Person>> PeopleAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? [] : await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(cancellationToken);

    /// <summary>
    /// When the jurisdictions of the register's committees and those a decision names (to establish a committee in)
    /// ceased, from the reference data: each committee ends no later than its province or ministry, and no committee is
    /// established in one that has ceased.
    /// </summary>
    private async Task AddJurisdictionEndsAsync(Register register, IEnumerable<string> named, CancellationToken cancellationToken)
    {
        var codes = register.Committees.Select(c => c.Jurisdiction).Concat(named).Distinct().ToList();
        (await db.CeasedJurisdictionsAsync(codes, cancellationToken)).ForEach(register.JurisdictionCeased);
        foreach (var committee in register.Committees)
        {
            committee.BoundByJurisdiction(register.JurisdictionEnd(committee.Jurisdiction));
        }
    }
}
