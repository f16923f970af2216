using Microsoft.Extensions.Hosting;

namespace Egov.Steering.ServiceDefaults.Hosting;

/// <summary>
/// A pass of background work run at start-up and then every <see cref="Interval"/> until the host stops. A pass that
/// fails (the database briefly away) is reported and the next tick runs again, whatever it threw — a cancellation too,
/// unless the host is stopping: one failed pass must never end the process. Stopping ends it quietly.
/// </summary>
public abstract class PeriodicBackgroundService(TimeProvider time) : BackgroundService
{
    /// <summary>The clock the passes are timed by (a fake one in tests); passes read the time from it too.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>The time between two passes' starts; read once, at start-up.</summary>
    protected abstract TimeSpan Interval { get; }

    protected abstract Task RunPassAsync(CancellationToken cancellationToken);

    /// <summary>Reports a failed pass (a log line saying what the next tick retries).</summary>
    protected abstract void OnPassFailed(Exception exception);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Time);
        try
        {
            do
            {
                try
                {
                    await RunPassAsync(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    OnPassFailed(exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
