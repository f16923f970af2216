using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.UseCases;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.Writes;
using Grpc.Core;

namespace Egov.Steering.Notifications.Grpc;

/// <summary>NotificationsService: the feed's RPCs here, the webhook RPCs (over the use cases of UseCases/) in the other part.</summary>
public sealed partial class NotificationsGrpcService(
    NotificationsDbContext db,
    Caller caller,
    EventStreamer streamer,
    IdempotentWrites writes,
    WebhookRequests webhookRequests,
    WebhookSubscriptions subscriptions,
    WebhookDeliveries deliveries) : NotificationsService.NotificationsServiceBase
{
    // gRPC calls are answered by WatchEventsMethod, ahead of this (which writes the same stream as messages).
    public override Task WatchEvents(
        WatchEventsRequest request, IServerStreamWriter<WatchEventsResponse> responseStream, ServerCallContext context) =>
        streamer.WatchAsync(caller, request, new MessageSink(responseStream), context.CancellationToken);

    public override Task<ListEventsResponse> ListEvents(ListEventsRequest request, ServerCallContext context)
    {
        caller.EnsureCanRead();
        return FeedRequests.ListAsync(db, request, context.CancellationToken);
    }

    private sealed class MessageSink(IServerStreamWriter<WatchEventsResponse> writer) : IEventStreamSink
    {
        public Task WriteEventAsync(FeedEvent feedEvent, CancellationToken cancellationToken) =>
            writer.WriteAsync(new WatchEventsResponse { Event = feedEvent.Envelope }, cancellationToken);

        public Task WriteHeartbeatAsync(Heartbeat heartbeat, CancellationToken cancellationToken) =>
            writer.WriteAsync(new WatchEventsResponse { Heartbeat = heartbeat }, cancellationToken);
    }
}
