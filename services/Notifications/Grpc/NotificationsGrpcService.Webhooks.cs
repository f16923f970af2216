using System.Globalization;
using System.Security.Cryptography;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.V1;
using Egov.Steering.Notifications.Webhooks;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Paging;
using Egov.Steering.ServiceDefaults.Validation;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Notifications.Grpc;

public sealed partial class NotificationsGrpcService
{
    private const int MinSecretBytes = 32;
    private static readonly ResourceNameTemplate SubscriptionName = new("webhookSubscriptions/{webhook_subscription}");
    private static readonly ResourceNameTemplate DeliveryName = new("webhookSubscriptions/{webhook_subscription}/deliveries/{delivery}");
    private static readonly HashSet<string> UpdatableFields = ["uri", "filter", "payload_format", "secret", "paused"];

    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<WebhookSubscription> CreateWebhookSubscription(CreateWebhookSubscriptionRequest request, ServerCallContext context)
    {
        caller.EnsureCanWrite(caller.Organisation);
        var validator = new RequestValidator();
        var subscription = request.WebhookSubscription;
        if (validator.Required("webhook_subscription", subscription))
        {
            await ValidateSubscriptionAsync(validator, subscription, ["uri", "filter", "payload_format", "secret"], creating: true, context.CancellationToken);
        }

        validator.ThrowIfInvalid();
        var generated = subscription.Secret.Length == 0 ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinSecretBytes)) : null;
        return await writes.ExecuteAsync(
            db,
            request.RequestId,
            context.Method,
            response => response.Name,
            request,
            async token =>
            {
                var now = timeProvider.GetUtcNow().UtcDateTime;
                var record = new WebhookSubscriptionRecord
                {
                    Id = Guid.CreateVersion7().ToString("N"),
                    Uri = subscription.Uri,
                    Filter = (subscription.Filter ?? new EventFilter()).ToByteArray(),
                    PayloadFormat = (int)subscription.PayloadFormat,
                    Secret = generated ?? subscription.Secret,
                    State = (int)WebhookSubscriptionState.Active,
                    OwnerOrganisation = caller.Organisation,
                    StartPosition = await EventLog.LastPositionAsync(db, token),
                    CreateTime = now,
                    UpdateTime = now,
                    Etag = Guid.NewGuid(),
                };
                db.WebhookSubscriptions.Add(record);
                await db.SaveChangesAsync(token);
                var created = record.ToProto();
                // The one answer that carries a generated secret (also the answer a retry with this request_id gets).
                created.Secret = generated ?? string.Empty;
                return created;
            },
            context.CancellationToken);
    }

    public override async Task<WebhookSubscription> GetWebhookSubscription(GetWebhookSubscriptionRequest request, ServerCallContext context)
    {
        caller.EnsureCanRead();
        return (await FindOwnedAsync(request.Name, "name", context.CancellationToken)).ToProto();
    }

    public override async Task<ListWebhookSubscriptionsResponse> ListWebhookSubscriptions(ListWebhookSubscriptionsRequest request, ServerCallContext context)
    {
        caller.EnsureCanRead();
        var validator = new RequestValidator();
        var pageSize = validator.PageSize("page_size", request.PageSize, 50, 500);
        validator.ThrowIfInvalid();
        var query = db.WebhookSubscriptions.AsNoTracking();
        if (!caller.IsAdmin)
        {
            query = query.Where(s => s.OwnerOrganisation == caller.Organisation);
        }

        if (PageToken.Parse(request, request.PageToken) is [var lastId])
        {
            query = query.Where(s => string.Compare(s.Id, lastId) > 0);
        }

        // Ids are version-7 UUIDs: id order is creation order.
        var rows = await query.OrderBy(s => s.Id).Take(pageSize + 1).ToListAsync(context.CancellationToken);
        var response = new ListWebhookSubscriptionsResponse();
        response.WebhookSubscriptions.AddRange(rows.Take(pageSize).Select(r => r.ToProto()));
        if (rows.Count > pageSize)
        {
            response.NextPageToken = PageToken.Create(request, rows[pageSize - 1].Id);
        }

        return response;
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<WebhookSubscription> UpdateWebhookSubscription(UpdateWebhookSubscriptionRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var subscription = request.WebhookSubscription;
        var paths = request.UpdateMask?.Paths.ToList() ?? [];
        if (validator.Required("webhook_subscription", subscription))
        {
            validator.ResourceName("webhook_subscription.name", subscription.Name, SubscriptionName);
            if (paths.Count == 0)
            {
                validator.Add("update_mask", "is required: name the fields to change");
            }

            foreach (var path in paths.Where(p => !UpdatableFields.Contains(p)))
            {
                validator.Add("update_mask", $"'{path}' cannot be changed (allowed: {string.Join(", ", UpdatableFields)})");
            }

            await ValidateSubscriptionAsync(validator, subscription, paths, creating: false, context.CancellationToken);
        }

        validator.ThrowIfInvalid();
        return await writes.ExecuteAsync(
            db,
            request.RequestId,
            context.Method,
            subscription.Name,
            request,
            async token =>
            {
                var record = await FindOwnedAsync(subscription.Name, "webhook_subscription.name", token, track: true);
                caller.EnsureCanWrite(record.OwnerOrganisation);
                CheckEtag(record, subscription.Etag, subscription.Name);
                Apply(record, subscription, paths, request.Paused);
                record.UpdateTime = timeProvider.GetUtcNow().UtcDateTime;
                record.Etag = Guid.NewGuid();
                await db.SaveChangesAsync(token);
                return record.ToProto();
            },
            context.CancellationToken);
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<Empty> DeleteWebhookSubscription(DeleteWebhookSubscriptionRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        validator.ResourceName("name", request.Name, SubscriptionName);
        validator.ThrowIfInvalid();
        return await writes.ExecuteAsync(
            db,
            request.RequestId,
            context.Method,
            request.Name,
            request,
            async token =>
            {
                var record = await FindOwnedAsync(request.Name, "name", token, track: true);
                caller.EnsureCanWrite(record.OwnerOrganisation);
                CheckEtag(record, request.Etag, request.Name);
                await db.WebhookDeliveries.Where(d => d.SubscriptionId == record.Id).ExecuteDeleteAsync(token);
                db.WebhookSubscriptions.Remove(record);
                await db.SaveChangesAsync(token);
                return new Empty();
            },
            context.CancellationToken);
    }

    public override async Task<ListDeliveriesResponse> ListDeliveries(ListDeliveriesRequest request, ServerCallContext context)
    {
        caller.EnsureCanRead();
        var validator = new RequestValidator();
        var pageSize = validator.PageSize("page_size", request.PageSize, 50, 500);
        for (var index = 0; index < request.States.Count; index++)
        {
            validator.Enum($"states[{index}]", request.States[index]);
        }

        validator.ThrowIfInvalid();
        var record = await FindOwnedAsync(request.Parent, "parent", context.CancellationToken);
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == record.Id);
        if (request.States.Count > 0)
        {
            var states = request.States.Select(s => (int)s).ToList();
            query = query.Where(d => states.Contains(d.State));
        }

        if (PageToken.Parse(request, request.PageToken) is [var lastId])
        {
            var last = long.Parse(lastId, CultureInfo.InvariantCulture);
            query = query.Where(d => d.Id < last);
        }

        var rows = await query.OrderByDescending(d => d.Id).Take(pageSize + 1).ToListAsync(context.CancellationToken);
        var response = new ListDeliveriesResponse();
        response.Deliveries.AddRange(rows.Take(pageSize).Select(d => d.ToProto()));
        if (rows.Count > pageSize)
        {
            response.NextPageToken = PageToken.Create(request, rows[pageSize - 1].Id.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    [Authorize(Policy = SteeringPolicies.Admin)]
    public override async Task<WebhookDelivery> RetryDelivery(RetryDeliveryRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var ids = validator.ResourceName("name", request.Name, DeliveryName);
        validator.ThrowIfInvalid();
        if (!long.TryParse(ids![1], NumberStyles.None, CultureInfo.InvariantCulture, out var deliveryId))
        {
            throw new ResourceNotFoundException(request.Name);
        }

        return await writes.ExecuteAsync(
            db,
            request.RequestId,
            context.Method,
            request.Name,
            request,
            async token =>
            {
                var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId && d.SubscriptionId == ids[0], token)
                    ?? throw new ResourceNotFoundException(request.Name);
                if (delivery.State != (int)WebhookDeliveryState.Failed)
                {
                    throw new PreconditionFailedException(
                        "DELIVERY_NOT_FAILED",
                        $"only a FAILED delivery can be retried; this one is {(WebhookDeliveryState)delivery.State}",
                        [new PreconditionViolation("STATE", request.Name, "the delivery must be FAILED")]);
                }

                delivery.State = (int)WebhookDeliveryState.Pending;
                delivery.AttemptCount = 0;
                delivery.NextAttemptAt = timeProvider.GetUtcNow().UtcDateTime;
                delivery.CompletedAt = null;
                delivery.Version = Guid.NewGuid();
                await db.SaveChangesAsync(token);
                return delivery.ToProto();
            },
            context.CancellationToken);
    }

    private async Task ValidateSubscriptionAsync(
        RequestValidator validator, WebhookSubscription subscription, IReadOnlyCollection<string> fields, bool creating, CancellationToken cancellationToken)
    {
        if (fields.Contains("uri") || creating)
        {
            // The policy judges the URL as given: it is stored as given.
            if (validator.Text("webhook_subscription.uri", subscription.Uri, 2048).Length > 0
                && await uriPolicy.RefusalAsync(subscription.Uri, cancellationToken) is { } refusal)
            {
                validator.Add("webhook_subscription.uri", refusal);
            }
        }

        if (fields.Contains("filter"))
        {
            FeedRequests.ValidateFilter(validator, "webhook_subscription.filter", subscription.Filter);
        }

        if (fields.Contains("payload_format"))
        {
            validator.Enum("webhook_subscription.payload_format", subscription.PayloadFormat, required: false);
        }

        // Empty on create: the server generates one.
        if ((fields.Contains("secret") && !creating) || subscription.Secret.Length > 0)
        {
            if (System.Text.Encoding.UTF8.GetByteCount(subscription.Secret) < MinSecretBytes)
            {
                validator.Add("webhook_subscription.secret", $"must be at least {MinSecretBytes} bytes");
            }
        }
    }

    private static void Apply(WebhookSubscriptionRecord record, WebhookSubscription subscription, List<string> paths, bool paused)
    {
        foreach (var path in paths)
        {
            switch (path)
            {
                case "uri":
                    record.Uri = subscription.Uri;
                    break;
                case "filter":
                    record.Filter = (subscription.Filter ?? new EventFilter()).ToByteArray();
                    break;
                case "payload_format":
                    record.PayloadFormat = (int)subscription.PayloadFormat;
                    break;
                case "secret":
                    record.Secret = subscription.Secret;
                    break;
                case "paused":
                    record.State = (int)(paused ? WebhookSubscriptionState.Paused : WebhookSubscriptionState.Active);
                    record.StateReason = string.Empty;
                    record.ConsecutiveFailedDeliveries = 0;
                    break;
            }
        }
    }

    private static void CheckEtag(WebhookSubscriptionRecord record, string etag, string name)
    {
        if (etag.Length > 0 && etag != record.Etag.ToString("N"))
        {
            throw new StaleEtagException(name);
        }
    }

    /// <summary>The subscription if the caller's organisation owns it (or the caller is an admin); else NOT_FOUND.</summary>
    private async Task<WebhookSubscriptionRecord> FindOwnedAsync(string name, string field, CancellationToken cancellationToken, bool track = false)
    {
        var validator = new RequestValidator();
        var ids = validator.ResourceName(field, name, SubscriptionName);
        validator.ThrowIfInvalid();
        var id = ids![0];
        var query = track ? db.WebhookSubscriptions : db.WebhookSubscriptions.AsNoTracking();
        var record = await query.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (record is null)
        {
            throw new ResourceNotFoundException(name);
        }

        if (!caller.IsAdmin && record.OwnerOrganisation != caller.Organisation)
        {
            throw new PermissionDeniedException("OTHER_ORGANISATION", $"'{name}' belongs to another organisation");
        }

        return record;
    }
}
