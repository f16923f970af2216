using Egov.Steering.ServiceDefaults.Auth;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// Admits WatchEvents streams within <c>MaxStreamsPerCaller</c> (per token subject within its organisation) and
/// <c>MaxStreams</c> (per process), and accounts what each open stream holds of the log.
/// </summary>
public sealed class StreamAdmission(IOptions<NotificationsOptions> options, NotificationsTelemetry telemetry)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Organisation, string Subject), int> _perCaller = [];
    private readonly HashSet<StreamLease> _open = [];

    /// <summary>The streams open now.</summary>
    public IReadOnlyList<StreamLease> Open
    {
        get
        {
            lock (_gate)
            {
                return [.. _open];
            }
        }
    }

    /// <summary>A place for one more stream of <paramref name="caller"/>; <see cref="StreamLimitException"/> when none is left.</summary>
    public StreamLease Admit(Caller caller)
    {
        var feed = options.Value.Feed;
        var key = (caller.Organisation, caller.Subject);
        lock (_gate)
        {
            var callerStreams = _perCaller.GetValueOrDefault(key);
            if (callerStreams >= feed.MaxStreamsPerCaller)
            {
                telemetry.RefusedStreams.Add(1, NotificationsTelemetry.Reason("caller"));
                throw StreamLimitException.ForCaller(caller, feed.MaxStreamsPerCaller, feed.RefusedStreamRetryDelay);
            }

            if (_open.Count >= feed.MaxStreams)
            {
                telemetry.RefusedStreams.Add(1, NotificationsTelemetry.Reason("process"));
                throw StreamLimitException.ForProcess(feed.MaxStreams, feed.RefusedStreamRetryDelay);
            }

            _perCaller[key] = callerStreams + 1;
            var lease = new StreamLease(this, key);
            _open.Add(lease);
            telemetry.ActiveStreams.Add(1);
            return lease;
        }
    }

    internal void Release(StreamLease lease)
    {
        lock (_gate)
        {
            if (!_open.Remove(lease))
            {
                return;
            }

            telemetry.ActiveStreams.Add(-1);

            if (--_perCaller[lease.Caller] == 0)
            {
                _perCaller.Remove(lease.Caller);
            }
        }
    }
}

/// <summary>One open stream's place, given back on dispose, and the bytes of the log it holds.</summary>
public sealed class StreamLease : IDisposable
{
    private readonly StreamAdmission _admission;
    private long _heldBytes;
    private long _peakHeldBytes;

    internal StreamLease(StreamAdmission admission, (string Organisation, string Subject) caller)
    {
        _admission = admission;
        Caller = caller;
    }

    internal (string Organisation, string Subject) Caller { get; }

    /// <summary>Bytes of event envelopes the stream holds now (the replay page it is sending).</summary>
    public long HeldBytes => Interlocked.Read(ref _heldBytes);

    /// <summary>The most it has held at once.</summary>
    public long PeakHeldBytes => Interlocked.Read(ref _peakHeldBytes);

    internal void Hold(long bytes)
    {
        Interlocked.Exchange(ref _heldBytes, bytes);
        if (bytes > PeakHeldBytes)
        {
            Interlocked.Exchange(ref _peakHeldBytes, bytes); // one writer: the stream itself
        }
    }

    public void Dispose() => _admission.Release(this);
}
