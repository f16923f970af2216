namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// Wakes the readers of the log (the stream fan-out, the public exchange relay, the webhook dispatcher) when an
/// append commits here or a NOTIFY arrives from another replica. Each reader waits on its own signal.
/// </summary>
public sealed class LogSignal
{
    private readonly List<SemaphoreSlim> _waiters = [];

    public void Notify()
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

    /// <summary>A wake-up of one reader; signals that arrive while it works are kept (at most one).</summary>
    public Func<TimeSpan, CancellationToken, Task> Subscribe()
    {
        var waiter = new SemaphoreSlim(0, 1);
        lock (_waiters)
        {
            _waiters.Add(waiter);
        }

        return (timeout, cancellationToken) => waiter.WaitAsync(timeout, cancellationToken);
    }
}
