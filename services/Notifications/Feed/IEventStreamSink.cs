using Egov.Steering.Notifications.V1;

namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// Where a WatchEvents stream writes its events and heartbeats, in the encoding of its transport: gRPC the protobuf
/// bytes, server-sent events the JSON frame, each taken from the <see cref="FeedEvent"/> that encodes it once for
/// every stream.
/// </summary>
public interface IEventStreamSink
{
    Task WriteEventAsync(FeedEvent feedEvent, CancellationToken cancellationToken);

    Task WriteHeartbeatAsync(Heartbeat heartbeat, CancellationToken cancellationToken);
}
