using Egov.Steering.ServiceDefaults.Hosting;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Egov.Steering.Messaging;

/// <summary>
/// Asks the broker, every <see cref="MessagingOptions.ConsumerCheckInterval"/>, whether each queue this service consumes
/// has a consumer, and restarts the bus when a queue whose endpoint MassTransit reports healthy has none at two checks
/// in a row. A consumer the broker dropped without the client noticing (seen when the node holding the connection stops
/// in a cluster) otherwise leaves its queue unconsumed, and every message on it waiting, until the process restarts.
/// </summary>
internal sealed partial class ConsumerWatchdog(
    IBusControl bus,
    BusRestart restart,
    RabbitMqBroker broker,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<ConsumerWatchdog> logger) : PeriodicBackgroundService(time)
{
    private readonly ConsumerChecks checks = new();
    private IConnection? connection;

    protected override TimeSpan Interval => options.Value.ConsumerCheckInterval;

    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        if (!await restart.EnsureStartedAsync(cancellationToken))
        {
            return;
        }

        try
        {
            connection ??= await broker.ConnectAsync("consumer-watchdog", cancellationToken);
            var unconsumed = new List<string>();
            foreach (var queue in ConsumedQueues())
            {
                if (await ConsumerCountAsync(connection, queue, cancellationToken) == 0)
                {
                    unconsumed.Add(queue);
                }
            }

            if (checks.Observe(unconsumed) is { Count: > 0 } stalled)
            {
                LogRestarting(string.Join(", ", stalled));
                checks.Clear();
                await restart.TryRestartAsync("consumer_lost", cancellationToken);
            }
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Nothing is known this round: the next check starts over, on a new connection.
            checks.Clear();
            await DisconnectAsync();
            throw;
        }
    }

    // The broker unreachable is MassTransit's to report (the bus health check).
    protected override void OnPassFailed(Exception exception) => LogCheckFailed(exception);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await DisconnectAsync();
    }

    private async Task DisconnectAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
            connection = null;
        }
    }

    /// <summary>The queues of the endpoints MassTransit reports healthy (consuming); a reconnecting endpoint is its own to mend.</summary>
    private List<string> ConsumedQueues() =>
    [
        .. bus.CheckHealth().Endpoints.Values
            .Where(endpoint => endpoint.Status == BusHealthStatus.Healthy && endpoint.ReceiveEndpoint is not null)
            .Select(endpoint => endpoint.ReceiveEndpoint.InputAddress)
            .Where(address => !address.Query.Contains("temporary=true", StringComparison.Ordinal))
            .Select(address => Uri.UnescapeDataString(address.Segments[^1]))
            .Distinct(StringComparer.Ordinal),
    ];

    /// <summary>Consumers the broker has on <paramref name="queue"/>; a queue gone counts as none (MassTransit declares it again on restart).</summary>
    private static async Task<uint> ConsumerCountAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        // A passive declare of a missing queue closes its channel: one channel per question.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).ConsumerCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return 0;
        }
    }

    [LoggerMessage(LogLevel.Warning, "The broker has no consumer on {Queues}, which this service consumes; restarting the bus")]
    private partial void LogRestarting(string queues);

    [LoggerMessage(LogLevel.Debug, "Checking the consumers of this service's queues failed; trying again at the next check")]
    private partial void LogCheckFailed(Exception exception);
}

/// <summary>
/// Which queues have had no consumer at two checks in a row: one check alone may fall between a lost connection and
/// MassTransit noticing it (which then reports the endpoint unhealthy and reconnects on its own).
/// </summary>
public sealed class ConsumerChecks
{
    private HashSet<string> unconsumedBefore = new(StringComparer.Ordinal);

    /// <summary>Records the queues found without a consumer at one check; returns those also found so at the check before.</summary>
    public IReadOnlyList<string> Observe(IReadOnlyCollection<string> unconsumed)
    {
        var stalled = unconsumed.Where(unconsumedBefore.Contains).ToList();
        unconsumedBefore = new HashSet<string>(unconsumed, StringComparer.Ordinal);
        return stalled;
    }

    public void Clear() => unconsumedBefore.Clear();
}
