using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.V1;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Notifications.Webhooks;

/// <summary>
/// Turns logged events into delivery rows, one per matching subscription, in the transaction that moves (and locks)
/// the webhook cursor: every event is queued exactly once for every subscription whose start position precedes it.
/// </summary>
internal static class WebhookDispatcher
{
    public const int BatchSize = 500;

    /// <summary>How many events a batch covered and how many deliveries it queued for them.</summary>
    public readonly record struct Dispatched(int Events, int Deliveries);

    /// <summary>
    /// Queues the deliveries of the next batch of logged events; with no subscription (one look a poll interval, see
    /// <see cref="WebhookSubscriptionPresence"/>) nothing.
    /// </summary>
    public static async Task<Dispatched> DispatchBatchAsync(
        NotificationsDbContext db, WebhookSubscriptionPresence presence, TimeSpan noneHolds, DateTime now, CancellationToken cancellationToken)
    {
        // Nothing to queue: the cursor stays where it is. A subscription starts after the log's end at its creation, and
        // the first one moves the cursor there (WebhookSubscriptions.CreateAsync).
        var creations = presence.Creations;
        if (!await db.WebhookSubscriptions.AnyAsync(cancellationToken))
        {
            presence.NoneFound(creations, noneHolds);
            return default;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = await FeedCursorLock.TryLockAndReadAfterAsync(db, FeedCursor.Webhooks, BatchSize, now, cancellationToken);
        if (batch.Count == 0)
        {
            return default; // nothing new, or another replica dispatches
        }

        var subscriptions = (await db.WebhookSubscriptions.AsNoTracking().ToListAsync(cancellationToken))
            .Select(s => (s.Id, s.StartPosition, Filter: new EventFilterMatcher(WebhookMapping.FilterOf(s))))
            .ToList();
        var deliveries = 0;
        foreach (var row in batch)
        {
            var envelope = row.ToEnvelope();
            foreach (var subscription in subscriptions.Where(s => s.StartPosition < row.Position && s.Filter.Matches(envelope)))
            {
                deliveries++;
                db.WebhookDeliveries.Add(new WebhookDeliveryRecord
                {
                    SubscriptionId = subscription.Id,
                    EventPosition = row.Position,
                    EventId = row.EventId,
                    EventType = row.Type,
                    State = (int)WebhookDeliveryState.Pending,
                    CreatedAt = now,
                    NextAttemptAt = now,
                    Version = Guid.NewGuid(),
                });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await FeedCursorLock.MoveAsync(db, FeedCursor.Webhooks, batch[^1].Position, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(batch.Count, deliveries);
    }
}
