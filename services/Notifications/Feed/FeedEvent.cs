using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.V1;
using Egov.Steering.Notifications.Web;
using Egov.Steering.ServiceDefaults.Serialized;

namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// An event of the live feed with its WatchEventsResponse serialized once: every stream it matches writes these
/// same bytes (and counts them against its buffer), so a thousand streams cost one serialization. Its server-sent
/// event frame is likewise formatted once, by the first SSE stream that writes it, for all of them.
/// </summary>
public sealed record FeedEvent(EventEnvelope Envelope, SerializedMessage Response)
{
    private byte[]? _serverSentEvent;
    private object? _serverSentEventLock;

    public static FeedEvent Of(EventEnvelope envelope) => new(envelope, SerializedMessage.Of(new WatchEventsResponse { Event = envelope }));

    /// <summary>The bytes a stream holds while the event waits in its buffer.</summary>
    public int Size => Response.Bytes.Length;

    /// <summary>The event as a server-sent event (<see cref="ServerSentEventFrames.Event"/>), the same array for every stream.</summary>
    public byte[] ServerSentEvent =>
        LazyInitializer.EnsureInitialized(ref _serverSentEvent, ref _serverSentEventLock, () => ServerSentEventFrames.Event(Envelope));
}
