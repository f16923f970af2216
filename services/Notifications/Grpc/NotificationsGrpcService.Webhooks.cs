using System.Globalization;
using Egov.Steering.Notifications.V1;
using Egov.Steering.Notifications.Webhooks;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Paging;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace Egov.Steering.Notifications.Grpc;

// Each method: validate, one use case (inside the idempotent write for writes), map.
public sealed partial class NotificationsGrpcService
{
    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<WebhookSubscription> CreateWebhookSubscription(CreateWebhookSubscriptionRequest request, ServerCallContext context)
    {
        caller.EnsureCanWrite(caller.Organisation);
        await webhookRequests.ValidateCreateAsync(request, context.CancellationToken);
        return await writes.ExecuteAsync(
            db,
            request.RequestId,
            context.Method,
            response => response.Name,
            request,
            async token =>
            {
                var record = await subscriptions.CreateAsync(request.WebhookSubscription, token);
                var created = record.ToProto();
                // The one answer that carries a generated secret (also the answer a retry with this request_id gets).
                created.Secret = request.WebhookSubscription.Secret.Length == 0 ? record.Secret : string.Empty;
                return created;
            },
            context.CancellationToken);
    }

    public override async Task<WebhookSubscription> GetWebhookSubscription(GetWebhookSubscriptionRequest request, ServerCallContext context)
    {
        caller.EnsureCanRead();
        var id = WebhookRequests.SubscriptionId("name", request.Name);
        return (await subscriptions.GetAsync(id, context.CancellationToken)).ToProto();
    }

    public override async Task<ListWebhookSubscriptionsResponse> ListWebhookSubscriptions(ListWebhookSubscriptionsRequest request, ServerCallContext context)
    {
        caller.EnsureCanRead();
        var pageSize = WebhookRequests.ValidateList(request);
        var afterId = PageToken.Parse(request, request.PageToken) is [var lastId] ? lastId : null;
        var page = await subscriptions.ListAsync(pageSize, afterId, context.CancellationToken);
        var response = new ListWebhookSubscriptionsResponse();
        response.WebhookSubscriptions.AddRange(page.Items.Select(r => r.ToProto()));
        if (page.HasMore)
        {
            response.NextPageToken = PageToken.Create(request, page.Items[^1].Id);
        }

        return response;
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<WebhookSubscription> UpdateWebhookSubscription(UpdateWebhookSubscriptionRequest request, ServerCallContext context)
    {
        var paths = await webhookRequests.ValidateUpdateAsync(request, context.CancellationToken);
        var subscription = request.WebhookSubscription;
        var id = WebhookRequests.SubscriptionId("webhook_subscription.name", subscription.Name);
        return await writes.ExecuteAsync(
            db,
            request.RequestId,
            context.Method,
            subscription.Name,
            request,
            async token => (await subscriptions.UpdateAsync(id, subscription.Etag, subscription, paths, request.Paused, token)).ToProto(),
            context.CancellationToken);
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<Empty> DeleteWebhookSubscription(DeleteWebhookSubscriptionRequest request, ServerCallContext context)
    {
        var id = WebhookRequests.SubscriptionId("name", request.Name);
        return await writes.ExecuteAsync(
            db,
            request.RequestId,
            context.Method,
            request.Name,
            request,
            async token =>
            {
                await subscriptions.DeleteAsync(id, request.Etag, token);
                return new Empty();
            },
            context.CancellationToken);
    }

    public override async Task<ListDeliveriesResponse> ListDeliveries(ListDeliveriesRequest request, ServerCallContext context)
    {
        caller.EnsureCanRead();
        var pageSize = WebhookRequests.ValidateList(request);
        var subscriptionId = WebhookRequests.SubscriptionId("parent", request.Parent);
        long? beforeId = PageToken.Parse(request, request.PageToken) is [var lastId] ? long.Parse(lastId, CultureInfo.InvariantCulture) : null;
        var page = await deliveries.ListAsync(subscriptionId, request.States, pageSize, beforeId, context.CancellationToken);
        var response = new ListDeliveriesResponse();
        response.Deliveries.AddRange(page.Items.Select(d => d.ToProto()));
        if (page.HasMore)
        {
            response.NextPageToken = PageToken.Create(request, page.Items[^1].Id.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    [Authorize(Policy = SteeringPolicies.Admin)]
    public override async Task<WebhookDelivery> RetryDelivery(RetryDeliveryRequest request, ServerCallContext context)
    {
        var (subscriptionId, deliveryId) = WebhookRequests.DeliveryIds(request.Name);
        return await writes.ExecuteAsync(
            db,
            request.RequestId,
            context.Method,
            request.Name,
            request,
            async token => (await deliveries.RetryAsync(subscriptionId, deliveryId, request.Name, token)).ToProto(),
            context.CancellationToken);
    }
}
