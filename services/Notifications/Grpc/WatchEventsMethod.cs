using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Serialized;
using Grpc.Core;

namespace Egov.Steering.Notifications.Grpc;

/// <summary>
/// NotificationsService.WatchEvents over gRPC, writing each live event's response as the feed serialized it once for
/// every stream. Mapped ahead of <see cref="NotificationsGrpcService"/>, whose method of the same name writes the same
/// stream as messages.
/// </summary>
public sealed class WatchEventsMethod : ISerializedMethods<WatchEventsMethod>
{
    public static void Bind(SerializedMethodBinder<WatchEventsMethod> binder)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.ServerStreaming(
            NotificationsService.Descriptor, nameof(NotificationsService.NotificationsServiceBase.WatchEvents), WatchEventsRequest.Parser,
            (_, request, writer, call) =>
            {
                var services = call.GetHttpContext().RequestServices;
                return services.GetRequiredService<EventStreamer>()
                    .WatchAsync(services.GetRequiredService<Caller>(), request, new SerializedSink(writer), call.CancellationToken);
            });
    }

    private sealed class SerializedSink(IServerStreamWriter<SerializedMessage> writer) : IEventStreamSink
    {
        public Task WriteEventAsync(FeedEvent feedEvent, CancellationToken cancellationToken) =>
            writer.WriteAsync(feedEvent.Response, cancellationToken);

        public Task WriteHeartbeatAsync(Heartbeat heartbeat, CancellationToken cancellationToken) =>
            writer.WriteAsync(SerializedMessage.Of(new WatchEventsResponse { Heartbeat = heartbeat }), cancellationToken);
    }
}
