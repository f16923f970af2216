namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// Wakes the readers of the log (the stream fan-out, the public exchange relay, the webhook dispatcher) when an
/// append commits here or a NOTIFY announces one from any replica. Each reader waits on its own signal. A NOTIFY of a
/// position this replica committed itself, and already woke its readers for, is not passed on.
/// </summary>
public sealed class LogSignal
{
    private readonly List<SemaphoreSlim> _waiters = [];
    private long _knownThrough;
    private long _unpositioned;

    /// <summary>The last position known to have committed: appended here or announced by a NOTIFY.</summary>
    public long KnownThrough => Interlocked.Read(ref _knownThrough);

    /// <summary>How many wake-ups came without a position: a reader that saw this count change must read the log.</summary>
    public long UnpositionedWakeUps => Interlocked.Read(ref _unpositioned);

    /// <summary>
    /// Whether a reader that has read the log through <paramref name="readThrough"/> (null: not known) and had seen
    /// <paramref name="unpositionedSeen"/> unpositioned wake-ups when it read may find something new: a wake-up only
    /// for appends it already read is not worth a read.
    /// </summary>
    public bool MayHaveNewAfter(long? readThrough, long unpositionedSeen) =>
        readThrough is not { } read || KnownThrough > read || UnpositionedWakeUps != unpositionedSeen;

    /// <summary>Appends committed by this replica, through <paramref name="position"/>.</summary>
    public void Committed(long position)
    {
        Advance(position);
        Wake();
    }

    /// <summary>
    /// A NOTIFY: an append's position, or none (a purge, or listening has just started and may have missed some):
    /// the readers look unless it is a position they were already woken for.
    /// </summary>
    public void Announced(long? position)
    {
        if (position is { } appended)
        {
            if (appended <= KnownThrough)
            {
                return;
            }

            Advance(appended);
        }
        else
        {
            Interlocked.Increment(ref _unpositioned);
        }

        Wake();
    }

    /// <summary>
    /// A wake-up of one reader: true when signalled, false after <c>timeout</c>; signals that arrive while it works
    /// are kept (at most one).
    /// </summary>
    public Func<TimeSpan, CancellationToken, Task<bool>> Subscribe()
    {
        var waiter = new SemaphoreSlim(0, 1);
        lock (_waiters)
        {
            _waiters.Add(waiter);
        }

        return waiter.WaitAsync;
    }

    private void Advance(long position)
    {
        var known = Interlocked.Read(ref _knownThrough);
        while (position > known)
        {
            var seen = Interlocked.CompareExchange(ref _knownThrough, position, known);
            if (seen == known)
            {
                return;
            }

            known = seen;
        }
    }

    private void Wake()
    {
        lock (_waiters)
        {
            foreach (var waiter in _waiters)
            {
                if (waiter.CurrentCount == 0)
                {
                    waiter.Release();
                }
            }
        }
    }
}
