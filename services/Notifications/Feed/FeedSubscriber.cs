using System.Threading.Channels;
using Egov.Steering.Events.V1;

namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// One WatchEvents stream's seat at the fan-out: a bounded buffer of matching events, and how far the feed has passed
/// (for heartbeats). Written only by <see cref="EventFeed"/> under its lock; read by the stream.
/// </summary>
public sealed class FeedSubscriber
{
    private readonly Channel<EventEnvelope> _buffer;
    private readonly EventFilterMatcher _filter;
    private readonly int _capacity;
    private readonly CancellationTokenSource _cutOff = new();
    private long _after;
    private long _passed;

    public FeedSubscriber(EventFilterMatcher filter, int capacity)
    {
        _filter = filter;
        _capacity = capacity;
        _buffer = Channel.CreateBounded<EventEnvelope>(new BoundedChannelOptions(capacity) { SingleReader = true });
    }

    public ChannelReader<EventEnvelope> Reader => _buffer.Reader;

    public int Capacity => _capacity;

    /// <summary>The feed's position this stream has passed: every matching event up to it is in the buffer or sent.</summary>
    public long Passed => Volatile.Read(ref _passed);

    /// <summary>Whether the stream fell too far behind and must end with RESOURCE_EXHAUSTED.</summary>
    public bool IsCutOff => _cutOff.IsCancellationRequested;

    /// <summary>Cancelled when the stream is cut off, so that a write the client holds up is not waited on forever.</summary>
    public CancellationToken CutOff => _cutOff.Token;

    internal void Start(long afterPosition)
    {
        _after = afterPosition;
        Volatile.Write(ref _passed, afterPosition);
    }

    /// <summary>Buffers the event if it matches; false when the buffer is full and the stream was cut off.</summary>
    internal bool Offer(EventEnvelope envelope)
    {
        if (envelope.Position <= _after)
        {
            return true; // already replayed from the log by the stream itself
        }

        if (_filter.Matches(envelope) && !_buffer.Writer.TryWrite(envelope))
        {
            End(FeedStreamException.TooFarBehind(_capacity));
            // Asynchronously: the feed holds its lock here, and the stream's reaction must not run under it.
            _ = _cutOff.CancelAsync();
            return false;
        }

        // After the write: a heartbeat that reads this position finds the event already buffered.
        Volatile.Write(ref _passed, envelope.Position);
        return true;
    }

    internal void End(Exception reason) => _buffer.Writer.TryComplete(reason);
}
