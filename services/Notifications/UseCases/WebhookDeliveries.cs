using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Notifications.UseCases;

/// <summary>A subscription's deliveries, newest first, and an admin's retry of a FAILED one.</summary>
public sealed class WebhookDeliveries(NotificationsDbContext db, WebhookSubscriptions subscriptions, TimeProvider timeProvider)
{
    /// <summary>The deliveries of a subscription the caller may see, in <paramref name="states"/> (any when empty), before <paramref name="beforeId"/>.</summary>
    public async Task<Page<WebhookDeliveryRecord>> ListAsync(
        string subscriptionId, IReadOnlyCollection<WebhookDeliveryState> states, int pageSize, long? beforeId, CancellationToken cancellationToken)
    {
        var subscription = await subscriptions.FindOwnedAsync(subscriptionId, track: false, cancellationToken);
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == subscription.Id);
        if (states.Count > 0)
        {
            var values = states.Select(s => (int)s).ToList();
            query = query.Where(d => values.Contains(d.State));
        }

        if (beforeId is { } last)
        {
            query = query.Where(d => d.Id < last);
        }

        var rows = await query.OrderByDescending(d => d.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        return new Page<WebhookDeliveryRecord>(rows.Take(pageSize).ToList(), rows.Count > pageSize);
    }

    /// <summary>A FAILED delivery becomes due now with its attempts counted afresh; any other state is FAILED_PRECONDITION.</summary>
    public async Task<WebhookDeliveryRecord> RetryAsync(string subscriptionId, long deliveryId, string name, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId && d.SubscriptionId == subscriptionId, cancellationToken)
            ?? throw new ResourceNotFoundException(name);
        if (delivery.State != (int)WebhookDeliveryState.Failed)
        {
            throw new PreconditionFailedException(
                "DELIVERY_NOT_FAILED",
                $"only a FAILED delivery can be retried; this one is {(WebhookDeliveryState)delivery.State}",
                [new PreconditionViolation("STATE", name, "the delivery must be FAILED")]);
        }

        delivery.State = (int)WebhookDeliveryState.Pending;
        delivery.AttemptCount = 0;
        delivery.NextAttemptAt = timeProvider.GetUtcNow().UtcDateTime;
        delivery.CompletedAt = null;
        delivery.Version = Guid.NewGuid();
        await db.SaveChangesAsync(cancellationToken);
        return delivery;
    }
}
