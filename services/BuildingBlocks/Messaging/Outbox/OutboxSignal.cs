namespace Egov.Steering.Messaging.Outbox;

/// <summary>
/// Wakes a local relay the moment a transaction with outbox rows commits (or a NOTIFY arrives), and says which
/// partitions the wake-ups are for: a local commit names the partitions it wrote, any other wake-up names none and
/// asks for a look at every partition.
/// </summary>
internal sealed class OutboxSignal
{
    private readonly SemaphoreSlim _pending = new(0, 1);
    private readonly Lock _gate = new();
    private HashSet<int> _partitions = [];
    private bool _unpositioned;

    /// <summary>A wake-up for rows in any partition (another replica's commit, a listener that reconnected).</summary>
    public void Notify()
    {
        lock (_gate)
        {
            _unpositioned = true;
        }

        Wake();
    }

    /// <summary>A wake-up for rows this host committed in <paramref name="partitions"/>.</summary>
    public void Notify(IEnumerable<int> partitions)
    {
        lock (_gate)
        {
            _partitions.UnionWith(partitions);
        }

        Wake();
    }

    /// <summary>Waits for a signal or the timeout, whichever comes first; true for a signal.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _pending.WaitAsync(timeout, cancellationToken);

    /// <summary>
    /// The partitions woken since the last call, or null when some wake-up named none (look at every partition);
    /// clears them.
    /// </summary>
    public IReadOnlyCollection<int>? TakeWoken()
    {
        lock (_gate)
        {
            var woken = _unpositioned ? null : _partitions;
            (_partitions, _unpositioned) = ([], false);
            return woken;
        }
    }

    private void Wake()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the relay's next pass sees every committed row anyway.
        }
    }
}
