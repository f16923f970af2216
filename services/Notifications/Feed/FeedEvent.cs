using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults.Serialized;

namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// An event of the live feed with its WatchEventsResponse serialized once: every stream it matches writes these
/// same bytes (and counts them against its buffer), so a thousand streams cost one serialization.
/// </summary>
public sealed record FeedEvent(EventEnvelope Envelope, SerializedMessage Response)
{
    public static FeedEvent Of(EventEnvelope envelope) => new(envelope, SerializedMessage.Of(new WatchEventsResponse { Event = envelope }));

    /// <summary>The bytes a stream holds while the event waits in its buffer.</summary>
    public int Size => Response.Bytes.Length;
}
