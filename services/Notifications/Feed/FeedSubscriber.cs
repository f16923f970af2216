using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// One WatchEvents stream's seat at the fan-out: a buffer of matching events bounded in bytes, and how far the feed
/// has passed (for heartbeats). Written only by <see cref="EventFeed"/> under its lock; read by the stream.
/// </summary>
public sealed class FeedSubscriber
{
    private readonly Channel<FeedEvent> _buffer =
        Channel.CreateUnbounded<FeedEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly EventFilterMatcher _filter;
    private readonly CancellationTokenSource _cutOff = new();
    private long _after;
    private long _passed;
    private long _bufferedBytes;

    public FeedSubscriber(EventFilterMatcher filter, int capacityBytes)
    {
        _filter = filter;
        CapacityBytes = capacityBytes;
        Reader = new AccountingReader(this);
    }

    /// <summary>The buffered events, each with the response every stream writes; each read gives its bytes back to the buffer.</summary>
    public ChannelReader<FeedEvent> Reader { get; }

    public int CapacityBytes { get; }

    /// <summary>Encoded bytes of the events buffered now.</summary>
    public long BufferedBytes => Interlocked.Read(ref _bufferedBytes);

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

    /// <summary>
    /// Buffers the event (of its response's size in bytes) if it matches; false when the buffer is full and the
    /// stream was cut off. An empty buffer takes any one event, so that no event is too large for every stream.
    /// </summary>
    internal bool Offer(FeedEvent feedEvent)
    {
        var (envelope, size) = (feedEvent.Envelope, feedEvent.Size);
        if (envelope.Position <= _after)
        {
            return true; // already replayed from the log by the stream itself
        }

        if (_filter.Matches(envelope))
        {
            var buffered = BufferedBytes;
            if (buffered > 0 && buffered + size > CapacityBytes)
            {
                End(FeedStreamException.TooFarBehind(CapacityBytes));
                // Asynchronously: the feed holds its lock here, and the stream's reaction must not run under it.
                _ = _cutOff.CancelAsync();
                return false;
            }

            Interlocked.Add(ref _bufferedBytes, size);
            _buffer.Writer.TryWrite(feedEvent);
        }

        // After the write: a heartbeat that reads this position finds the event already buffered.
        Volatile.Write(ref _passed, envelope.Position);
        return true;
    }

    internal void End(Exception reason) => _buffer.Writer.TryComplete(reason);

    private sealed class AccountingReader(FeedSubscriber subscriber) : ChannelReader<FeedEvent>
    {
        private ChannelReader<FeedEvent> Buffer => subscriber._buffer.Reader;

        public override Task Completion => Buffer.Completion;

        public override bool CanPeek => true;

        public override bool TryRead([MaybeNullWhen(false)] out FeedEvent item)
        {
            if (Buffer.TryRead(out item))
            {
                Interlocked.Add(ref subscriber._bufferedBytes, -item.Size);
                return true;
            }

            return false;
        }

        public override bool TryPeek([MaybeNullWhen(false)] out FeedEvent item) => Buffer.TryPeek(out item);

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
            Buffer.WaitToReadAsync(cancellationToken);
    }
}
