using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Decisions.Data;

/// <summary>How many decisions naming a committee as a subject have been issued: one row per committee.</summary>
public sealed class CommitteeIssueSequence
{
    /// <summary>Resource name of the committee, e.g. "committees/bcd-gia-lai".</summary>
    public required string Committee { get; set; }

    public long LastSequence { get; set; }
}

/// <summary>
/// Numbers the decisions issued for each committee 1, 2, 3… in the issuing transaction. The upsert takes the
/// committee's counter row lock until that transaction ends, so two issues for one committee (on any replica) get
/// consecutive numbers in commit order, and an issue that rolls back gives its number back: never a duplicate or a gap.
/// </summary>
internal static class CommitteeIssueSequences
{
    /// <summary>The next number of each committee, claimed inside the caller's transaction.</summary>
    public static async Task<Dictionary<string, long>> ClaimNextAsync(
        DecisionsDbContext db, IEnumerable<string> committees, CancellationToken cancellationToken)
    {
        var claimed = new Dictionary<string, long>(StringComparer.Ordinal);
        // Locked in one order by everyone, so two decisions that share committees cannot deadlock.
        foreach (var committee in committees.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            // Plain SQL that PostgreSQL and SQLite both run: an atomic increment-or-insert that returns the new value.
            var next = await db.Database.SqlQuery<long>($"""
                INSERT INTO committee_issue_sequences (committee, last_sequence) VALUES ({committee}, 1)
                ON CONFLICT (committee) DO UPDATE SET last_sequence = committee_issue_sequences.last_sequence + 1
                RETURNING last_sequence AS "Value"
                """).ToListAsync(cancellationToken);
            claimed[committee] = next[0];
        }

        return claimed;
    }
}
