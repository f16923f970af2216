using Egov.Steering.Messaging.Inbox;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Messaging.Outbox;

/// <summary>Deletes published outbox rows and inbox ids older than the retention, in small batches.</summary>
internal static class OutboxPurge
{
    public static async Task<int> DeleteOlderThanAsync(DbContext db, DateTime cutoff, int batchSize, CancellationToken cancellationToken)
    {
        var outbox = db.Set<OutboxMessage>().Where(m => m.PublishedAt != null && m.PublishedAt < cutoff).OrderBy(m => m.Sequence);
        // A parked message's id stays while it waits: a copy redelivered then is still a duplicate.
        var parked = db.Set<InboxParkedMessage>();
        var inbox = db.Set<InboxMessage>()
            .Where(m => m.HandledAt < cutoff && !parked.Any(p => p.Consumer == m.Consumer && p.MessageId == m.MessageId))
            .OrderBy(m => m.HandledAt);
        return await DeleteInBatchesAsync(outbox, batchSize, cancellationToken)
            + await DeleteInBatchesAsync(inbox, batchSize, cancellationToken);
    }

    // Short statements keep locks and WAL small while the service keeps writing.
    private static async Task<int> DeleteInBatchesAsync<T>(IQueryable<T> rows, int batchSize, CancellationToken cancellationToken)
    {
        var total = 0;
        int deleted;
        do
        {
            deleted = await rows.Take(batchSize).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
        }
        while (deleted == batchSize);

        return total;
    }
}
