namespace Egov.Steering.Messaging.Outbox;

/// <summary>Wakes the local relay the moment a transaction with outbox rows commits (or a NOTIFY arrives).</summary>
internal sealed class OutboxSignal
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    /// <summary>
    /// Names this host in the NOTIFY its commits send: its listener ignores those (the in-process signal woke the relay
    /// already; a second wake-up cost a pass that found nothing), other replicas' listeners do not.
    /// </summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");

    public void Notify()
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

    /// <summary>Waits for a signal or the timeout, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _pending.WaitAsync(timeout, cancellationToken);
}
