using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Messaging;

/// <summary>
/// Stops and starts the bus, which opens a new connection and new channels: the one remedy for a broker that left the
/// client's connection looking healthy while it no longer serves it (a consumer dropped, publishes never confirmed);
/// or one receive endpoint (<see cref="TryRestartEndpointAsync"/>). One restart at a time; a start that fails (the
/// broker went away meanwhile) is tried again by <see cref="EnsureStartedAsync"/>.
/// </summary>
internal sealed partial class BusRestart(
    IBusControl bus,
    IOptions<MessagingOptions> options,
    MessagingMetrics metrics,
    ILogger<BusRestart> logger)
{
    private readonly SemaphoreSlim running = new(1, 1);
    private volatile bool stoppedForRestart;

    /// <summary>Restarts the bus for <paramref name="reason"/> (a metric tag); returns false when another restart is under way.</summary>
    public Task<bool> TryRestartAsync(string reason, CancellationToken stoppingToken) => TryRestartAsync(
        reason,
        bus.StopAsync,
        async () =>
        {
            stoppedForRestart = true;
            await StartAsync(stoppingToken);
        },
        stoppingToken);

    /// <summary>
    /// Stops and starts one receive endpoint, for <paramref name="reason"/> (a metric tag): the remedy for an endpoint
    /// MassTransit stopped reconnecting, which a bus restart leaves stopped (it restarts only the endpoints that run).
    /// Returns false when another restart is under way.
    /// </summary>
    public Task<bool> TryRestartEndpointAsync(IReceiveEndpoint endpoint, string reason, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return TryRestartAsync(
            reason,
            endpoint.Stop,
            () =>
            {
                endpoint.Start(stoppingToken);
                return Task.CompletedTask;
            },
            stoppingToken);
    }

    private async Task<bool> TryRestartAsync(
        string reason, Func<CancellationToken, Task> stop, Func<Task> start, CancellationToken stoppingToken)
    {
        if (!await running.WaitAsync(0, stoppingToken))
        {
            return false;
        }

        try
        {
            metrics.BusRestarts.Add(1, new KeyValuePair<string, object?>("reason", reason));
            // MassTransit's stop can wait for ever on an endpoint or a channel the broker no longer serves: bounded,
            // the start follows anyway.
            using (var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                stopping.CancelAfter(options.Value.StopTimeout);
                await stop(stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await start();
            return true;
        }
        finally
        {
            running.Release();
        }
    }

    /// <summary>Starts the bus again if a restart stopped it and its start failed; returns whether it runs.</summary>
    public async Task<bool> EnsureStartedAsync(CancellationToken stoppingToken)
    {
        if (!stoppedForRestart || !await running.WaitAsync(0, stoppingToken))
        {
            return !stoppedForRestart;
        }

        try
        {
            if (stoppedForRestart)
            {
                await StartAsync(stoppingToken);
            }

            return !stoppedForRestart;
        }
        finally
        {
            running.Release();
        }
    }

    private async Task StartAsync(CancellationToken stoppingToken)
    {
        try
        {
            await bus.StartAsync(stoppingToken);
            stoppedForRestart = false;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogStartFailed(e);
        }
    }

    [LoggerMessage(LogLevel.Error, "Starting the bus again failed; trying again at the next check")]
    private partial void LogStartFailed(Exception exception);
}
