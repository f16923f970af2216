using System.Security.Cryptography;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.V1;
using Egov.Steering.Notifications.Webhooks;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Notifications.UseCases;

/// <summary>
/// The webhook subscriptions of the caller's organisation (every one for an admin): created from the log's end,
/// changed and deleted only by their owner with the current etag (<see cref="EntityTag"/>).
/// </summary>
public sealed class WebhookSubscriptions(NotificationsDbContext db, Caller caller, WebhookSubscriptionPresence presence, TimeProvider timeProvider)
{
    /// <summary>A generated secret's size, and the least a given one must have.</summary>
    public const int MinSecretBytes = 32;

    /// <summary>
    /// Creates an active subscription owned by the caller's organisation, delivering the events after the log's
    /// current end; without a secret one is generated (in the returned record, for the one answer that shows it).
    /// </summary>
    public async Task<WebhookSubscriptionRecord> CreateAsync(WebhookSubscription subscription, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        // This replica's dispatcher looks at its next wake-up, even if it found none a moment ago.
        presence.Created();
        // Holding the webhook cursor until the transaction (the caller's, or its own) commits: the start is read once
        // the dispatcher is not between reading the subscriptions and moving its cursor, so it cannot move past an
        // event after the start without seeing this subscription.
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await FeedCursorLock.LockAsync(db, FeedCursor.Webhooks, now, cancellationToken);
        var start = await EventLog.LastPositionAsync(db, cancellationToken);
        // With no subscription the dispatcher leaves its cursor behind: the first one moves it to its start, so that its
        // first dispatch does not read through the events logged while nobody subscribed.
        if (!await db.WebhookSubscriptions.AnyAsync(cancellationToken))
        {
            await FeedCursorLock.MoveAsync(db, FeedCursor.Webhooks, start, now, cancellationToken);
        }

        var record = new WebhookSubscriptionRecord
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Uri = subscription.Uri,
            Filter = (subscription.Filter ?? new EventFilter()).ToByteArray(),
            PayloadFormat = (int)subscription.PayloadFormat,
            Secret = subscription.Secret.Length > 0 ? subscription.Secret : Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinSecretBytes)),
            State = (int)WebhookSubscriptionState.Active,
            OwnerOrganisation = caller.Organisation,
            StartPosition = start,
            CreateTime = now,
            UpdateTime = now,
            Revision = 1,
        };
        db.WebhookSubscriptions.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }

        return record;
    }

    /// <summary>The subscription if the caller's organisation owns it (or the caller is an admin).</summary>
    public Task<WebhookSubscriptionRecord> GetAsync(string id, CancellationToken cancellationToken) =>
        FindOwnedAsync(id, track: false, cancellationToken);

    /// <summary>The caller's subscriptions (every one for an admin) in creation order, after <paramref name="afterId"/>.</summary>
    public async Task<Page<WebhookSubscriptionRecord>> ListAsync(int pageSize, string? afterId, CancellationToken cancellationToken)
    {
        var query = db.WebhookSubscriptions.AsNoTracking();
        if (!caller.IsAdmin)
        {
            query = query.Where(s => s.OwnerOrganisation == caller.Organisation);
        }

        if (afterId is not null)
        {
            query = query.Where(s => string.Compare(s.Id, afterId) > 0);
        }

        // Ids are version-7 UUIDs: id order is creation order.
        var rows = await query.OrderBy(s => s.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        return new Page<WebhookSubscriptionRecord>(rows.Take(pageSize).ToList(), rows.Count > pageSize);
    }

    /// <summary>
    /// Sets the fields named by <paramref name="paths"/> from <paramref name="changes"/>; <c>paused</c> pauses or
    /// resumes it (a resumed subscription starts counting failures afresh).
    /// </summary>
    public async Task<WebhookSubscriptionRecord> UpdateAsync(
        string id, string etag, WebhookSubscription changes, IReadOnlyCollection<string> paths, bool paused, CancellationToken cancellationToken)
    {
        var record = await FindOwnedAsync(id, track: true, cancellationToken);
        caller.EnsureCanWrite(record.OwnerOrganisation);
        EntityTag.EnsureCurrent(etag, record.Revision, WebhookMapping.NameOf(record));
        foreach (var path in paths)
        {
            switch (path)
            {
                case "uri":
                    record.Uri = changes.Uri;
                    break;
                case "filter":
                    record.Filter = (changes.Filter ?? new EventFilter()).ToByteArray();
                    break;
                case "payload_format":
                    record.PayloadFormat = (int)changes.PayloadFormat;
                    break;
                case "secret":
                    record.Secret = changes.Secret;
                    break;
                case "paused":
                    record.State = (int)(paused ? WebhookSubscriptionState.Paused : WebhookSubscriptionState.Active);
                    record.StateReason = string.Empty;
                    record.ConsecutiveFailedDeliveries = 0;
                    break;
            }
        }

        record.UpdateTime = timeProvider.GetUtcNow().UtcDateTime;
        record.Revision++;
        await db.SaveChangesAsync(cancellationToken);
        return record;
    }

    /// <summary>Deletes the subscription with its deliveries.</summary>
    public async Task DeleteAsync(string id, string etag, CancellationToken cancellationToken)
    {
        var record = await FindOwnedAsync(id, track: true, cancellationToken);
        caller.EnsureCanWrite(record.OwnerOrganisation);
        EntityTag.EnsureCurrent(etag, record.Revision, WebhookMapping.NameOf(record));
        await db.WebhookDeliveries.Where(d => d.SubscriptionId == record.Id).ExecuteDeleteAsync(cancellationToken);
        db.WebhookSubscriptions.Remove(record);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The subscription if the caller's organisation owns it (or the caller is an admin); else NOT_FOUND.</summary>
    internal async Task<WebhookSubscriptionRecord> FindOwnedAsync(string id, bool track, CancellationToken cancellationToken)
    {
        var query = track ? db.WebhookSubscriptions : db.WebhookSubscriptions.AsNoTracking();
        var record = await query.SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw new ResourceNotFoundException(WebhookMapping.SubscriptionPrefix + id);
        if (!caller.IsAdmin && record.OwnerOrganisation != caller.Organisation)
        {
            throw new PermissionDeniedException("OTHER_ORGANISATION", $"'{WebhookMapping.NameOf(record)}' belongs to another organisation");
        }

        return record;
    }
}
