using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Compliance;
using Egov.Steering.Membership.Events;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.Storage;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Membership.Compliance;

/// <summary>
/// Re-evaluates committees' compliance as of today and stores it (committee_compliance); when a committee's overall
/// status flips, counts a version on the committee and adds ComplianceChanged to the outbox. Everything is tracked on
/// the caller's context, so it commits (or not) with the caller's change: a decision, a rule change, the rollover.
/// </summary>
public sealed class ComplianceRecalculator(MembershipDbContext db, RegisterStore store, MembershipClock clock)
{
    /// <summary>Re-evaluates the given committees (the caller has saved the change that touched them).</summary>
    public async Task RecomputeAsync(IReadOnlyCollection<string> committeeIds, EventCause cause, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(committeeIds);
        var register = await store.LoadCommitteesAsync(committeeIds, cancellationToken);
        await RecomputeAsync(register, register.Committees.ToList(), cause, cancellationToken);
    }

    /// <summary>Re-evaluates the given committees of a register already loaded (and tracked) in this unit of work.</summary>
    public async Task RecomputeAsync(Register register, IReadOnlyCollection<string> committeeIds, EventCause cause, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(committeeIds);
        await RecomputeAsync(register, [.. committeeIds.Select(register.FindCommittee).OfType<Committee>()], cause, cancellationToken);
    }

    /// <summary>
    /// Re-evaluates every committee that exists today or later: after an admin changed the rules (call it inside that
    /// write, after the rule change is tracked) and when the day rolls over. Returns the committees whose status flipped.
    /// </summary>
    public async Task<IReadOnlyList<string>> RecomputeAllAsync(CancellationToken cancellationToken = default)
    {
        var today = clock.Today;
        var register = await store.LoadCommitteesAsync(db.CommitteeAggregates, cancellationToken);
        return await RecomputeAsync(register, [.. register.Committees.Where(c => c.OpenOn(today))], EventCause.None, cancellationToken);
    }

    /// <summary>
    /// The committees' compliance as of the date (what the views show): the rules in force then, on the committees as
    /// they stood then; nothing is stored.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, CommitteeCompliance>> EvaluateAsOfAsync(
        Register register, IReadOnlyList<Committee> committees, DateOnly date, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(committees);
        await AddJurisdictionPostsAsync(register, committees, cancellationToken);
        var rules = await db.ComplianceRules.AsNoTracking().ToListAsync(cancellationToken);
        return committees.ToDictionary(c => c.Id, c => ComplianceEvaluator.Evaluate(register, c, rules, date), StringComparer.Ordinal);
    }

    private async Task<IReadOnlyList<string>> RecomputeAsync(
        Register register, IReadOnlyList<Committee> committees, EventCause cause, CancellationToken cancellationToken)
    {
        if (committees.Count == 0)
        {
            return [];
        }

        await AddJurisdictionPostsAsync(register, committees, cancellationToken);
        await db.ComplianceRules.LoadAsync(cancellationToken);
        // Rules added or changed in this unit of work count too: the context's local view has them. Adding and removing
        // set a rule's state at once, and a change is in the rule itself, so the view need not scan every tracked entity
        // (a decision tracks its committee's whole roster) for changes first.
        List<ComplianceRule> rules;
        using (db.ChangeTracker.PauseDetection())
        {
            rules = db.ComplianceRules.Local.Where(r => db.Entry(r).State != EntityState.Deleted).ToList();
        }

        var ids = committees.Select(c => c.Id).ToList();
        var records = await db.CommitteeCompliance.Where(r => ids.Contains(r.CommitteeId)).ToDictionaryAsync(r => r.CommitteeId, cancellationToken);
        var today = clock.Today;
        var now = clock.Time.GetUtcNow().UtcDateTime;
        var flipped = new List<string>();
        foreach (var committee in committees)
        {
            var compliance = ComplianceEvaluator.Evaluate(register, committee, rules, today);
            var (record, previous) = records.TryGetValue(committee.Id, out var existing)
                ? (existing, existing.Status)
                : await ClaimRecordAsync(committee.Id, compliance.Status, now, cancellationToken);
            if (previous == compliance.Status && SameFindings(record, compliance))
            {
                continue;
            }

            record.Status = compliance.Status;
            record.Findings = [.. compliance.Findings.Select(f => new StoredFinding { RuleId = f.RuleId, Status = f.Status, Explanation = f.Explanation })];
            record.EvaluatedAt = now;
            if (previous != compliance.Status)
            {
                committee.NextVersion();
                db.AddOutboxEvent(MembershipEvents.ComplianceChanged(committee, previous, compliance, now, cause, now));
                flipped.Add(committee.Id);
            }
        }

        return flipped;
    }

    /// <summary>
    /// A committee's first evaluation inserts its row at once (in the caller's transaction), skipping it if it exists:
    /// two first evaluations at once (the start-up rollover and a write) would otherwise both insert at save and the
    /// later one fail on the key. The loser waits for the winner's commit, then reads the winner's row and goes on as
    /// any later evaluation. The previous status is null only for the evaluation that inserted the row.
    /// </summary>
    private async Task<(CommitteeComplianceRecord Record, ComplianceStatus? Previous)> ClaimRecordAsync(
        string committeeId, ComplianceStatus status, DateTime now, CancellationToken cancellationToken)
    {
        var inserted = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO committee_compliance (committee_id, status, findings, evaluated_at) VALUES ({committeeId}, {status.ToString()}, '[]', {now}) ON CONFLICT (committee_id) DO NOTHING",
            cancellationToken);
        var record = await db.CommitteeCompliance.SingleAsync(r => r.CommitteeId == committeeId, cancellationToken);
        return (record, inserted == 1 ? null : record.Status);
    }

    /// <summary>The heads of each committee's jurisdiction: a chair named without a post may hold one of them.</summary>
    private async Task AddJurisdictionPostsAsync(Register register, IReadOnlyList<Committee> committees, CancellationToken cancellationToken)
    {
        var jurisdictions = committees.Select(c => c.Jurisdiction).Distinct().ToList();
        var known = register.Posts.Select(p => p.Id).ToList();
        var posts = await db.PostAggregates.Where(p => jurisdictions.Contains(p.Organisation) && !known.Contains(p.Id)).ToListAsync(cancellationToken);
        foreach (var post in posts.Where(p => register.FindPost(p.Id) is null))
        {
            register.Add(post);
        }
    }

    private static bool SameFindings(CommitteeComplianceRecord record, CommitteeCompliance compliance) =>
        record.Findings.Count == compliance.Findings.Count
        && record.Findings.Zip(compliance.Findings).All(p =>
            p.First.RuleId == p.Second.RuleId && p.First.Status == p.Second.Status && p.First.Explanation == p.Second.Explanation);
}
