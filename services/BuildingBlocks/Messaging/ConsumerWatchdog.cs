using Egov.Steering.ServiceDefaults.Hosting;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Egov.Steering.Messaging;

/// <summary>
/// Asks the broker, every <see cref="MessagingOptions.ConsumerCheckInterval"/>, whether each queue this service consumes
/// has a consumer (<see cref="ConsumerChecks"/> says for how long each has had none). A consumer the broker dropped
/// without the client noticing (seen when the node holding the connection stops in a cluster) restarts the bus. An
/// endpoint MassTransit stopped reconnecting (an error its reconnection does not retry, or a bus restart while it waited
/// to reconnect: it then reports the endpoint unhealthy for good) is restarted on its own; if that does not bring its
/// consumer back either, liveness fails (<see cref="ConsumptionLoss"/>), so that the orchestrator restarts the process.
/// Either would otherwise leave its queue unconsumed, and every message on it waiting, until the process restarts.
/// Nothing counts toward either restart while the broker registers no consumer at all (a quorum queue without a majority
/// of its nodes has no leader): a restarted endpoint or process could not consume either (<see cref="ConsumerProbe"/>).
/// </summary>
internal sealed partial class ConsumerWatchdog(
    IBusControl bus,
    BusRestart restart,
    RabbitMqBroker broker,
    ConsumerProbe probe,
    ConsumptionLoss loss,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<ConsumerWatchdog> logger) : PeriodicBackgroundService(time)
{
    private readonly ConsumerChecks checks = new();

    // Every endpoint ever seen, by queue: one MassTransit stopped must stay checked, and restartable.
    private readonly Dictionary<string, IReceiveEndpoint> endpoints = new(StringComparer.Ordinal);
    private IConnection? connection;
    private bool brokerTakesNoConsumer;

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
            var unconsumed = new List<ConsumedQueue>();
            foreach (var queue in ConsumedQueues())
            {
                if (await ConsumerCountAsync(connection, queue.Name, cancellationToken) == 0)
                {
                    unconsumed.Add(queue);
                }
            }

            if (unconsumed.Count > 0 && !await probe.TakesConsumerAsync(connection, cancellationToken))
            {
                // Nothing is known of the queues until the broker takes consumers again: their counts start over then.
                if (!brokerTakesNoConsumer)
                {
                    LogBrokerTakesNoConsumer(string.Join(", ", unconsumed.Select(queue => queue.Name)));
                }

                brokerTakesNoConsumer = true;
                unconsumed.Clear();
            }
            else
            {
                brokerTakesNoConsumer = false;
            }

            var stalls = checks.Observe(unconsumed);
            if (stalls.Lost.Count > 0 && loss.Queues.Count == 0)
            {
                LogLost(string.Join(", ", stalls.Lost));
            }

            loss.Queues = stalls.Lost;
            foreach (var queue in stalls.Abandoned)
            {
                LogRestartingEndpoint(queue);
                if (await restart.TryRestartEndpointAsync(endpoints[queue], "endpoint_stopped", cancellationToken))
                {
                    checks.EndpointRestarted(queue);
                }
            }

            if (stalls.Dropped.Count > 0)
            {
                LogRestarting(string.Join(", ", stalls.Dropped));
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

    /// <summary>The queues of the bus's receive endpoints, each with whether MassTransit reports its endpoint healthy.</summary>
    private List<ConsumedQueue> ConsumedQueues()
    {
        var healthy = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in bus.CheckHealth().Endpoints.Values)
        {
            if (endpoint.ReceiveEndpoint is null || endpoint.InputAddress.Query.Contains("temporary=true", StringComparison.Ordinal))
            {
                continue;
            }

            var queue = Uri.UnescapeDataString(endpoint.InputAddress.Segments[^1]);
            endpoints[queue] = endpoint.ReceiveEndpoint;
            if (endpoint.Status == BusHealthStatus.Healthy)
            {
                healthy.Add(queue);
            }
        }

        return [.. endpoints.Keys.Select(queue => new ConsumedQueue(queue, healthy.Contains(queue)))];
    }

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

    [LoggerMessage(LogLevel.Warning, "The broker has no consumer on {Queue}, which this service consumes, and MassTransit has not reconnected its endpoint though the broker answers; restarting the endpoint")]
    private partial void LogRestartingEndpoint(string queue);

    [LoggerMessage(LogLevel.Error, "The broker still has no consumer on {Queues}, which this service consumes, after its endpoint was restarted; liveness fails so that the process is restarted")]
    private partial void LogLost(string queues);

    [LoggerMessage(LogLevel.Warning, "The broker has no consumer on {Queues}, which this service consumes, and registers none on a queue of the same type (a quorum queue without a majority of its nodes); waiting for the broker, not restarting")]
    private partial void LogBrokerTakesNoConsumer(string queues);

    [LoggerMessage(LogLevel.Debug, "Checking the consumers of this service's queues failed; trying again at the next check")]
    private partial void LogCheckFailed(Exception exception);
}

/// <summary>
/// How long each queue has gone without a consumer, in checks in a row. One whose endpoint MassTransit calls healthy is
/// <see cref="ConsumerStalls.Dropped"/> at the second (one check alone may fall between a lost connection and
/// MassTransit noticing it): the broker dropped its consumer and the client was not told. One whose endpoint is not
/// healthy is MassTransit's to reconnect, which it does within a minute or so of the broker coming back (the watchdog
/// reaches the broker, so it is back); at the eighth check — two minutes at the default interval — it is
/// <see cref="ConsumerStalls.Abandoned"/>, or <see cref="ConsumerStalls.Lost"/> if that is so again after its
/// endpoint was restarted.
/// </summary>
public sealed class ConsumerChecks
{
    private const int ChecksBeforeDropped = 2;
    private const int ChecksBeforeAbandoned = 8;

    private Dictionary<string, int> checksWithoutConsumer = new(StringComparer.Ordinal);

    // Queues whose endpoint was restarted, without a consumer since.
    private readonly HashSet<string> restartedEndpoints = new(StringComparer.Ordinal);

    /// <summary>Records the queues found without a consumer at one check.</summary>
    public ConsumerStalls Observe(IReadOnlyCollection<ConsumedQueue> unconsumed)
    {
        checksWithoutConsumer = unconsumed.ToDictionary(
            queue => queue.Name, queue => checksWithoutConsumer.GetValueOrDefault(queue.Name) + 1, StringComparer.Ordinal);
        restartedEndpoints.IntersectWith(checksWithoutConsumer.Keys);
        var abandoned = unconsumed
            .Where(queue => !queue.EndpointHealthy && checksWithoutConsumer[queue.Name] >= ChecksBeforeAbandoned)
            .Select(queue => queue.Name)
            .ToLookup(restartedEndpoints.Contains);
        return new ConsumerStalls(
            [.. unconsumed.Where(queue => queue.EndpointHealthy && checksWithoutConsumer[queue.Name] >= ChecksBeforeDropped).Select(queue => queue.Name)],
            [.. abandoned[false]],
            [.. abandoned[true]]);
    }

    /// <summary><paramref name="queue"/>'s endpoint was restarted: its count starts over, and should it be abandoned again it is lost.</summary>
    public void EndpointRestarted(string queue)
    {
        checksWithoutConsumer.Remove(queue);
        restartedEndpoints.Add(queue);
    }

    /// <summary>
    /// Every count starts over: the bus was restarted, or a check failed and nothing is known. A bus restart can stop an
    /// endpoint that was itself restarted and still reconnecting; that one gets another restart before it is lost.
    /// </summary>
    public void Clear()
    {
        checksWithoutConsumer.Clear();
        restartedEndpoints.Clear();
    }
}

/// <summary>A queue the bus consumes, and whether MassTransit reports its receive endpoint healthy.</summary>
public sealed record ConsumedQueue(string Name, bool EndpointHealthy);

/// <param name="Dropped">Queues whose consumer the broker dropped while MassTransit calls the endpoint healthy: a bus restart mends them.</param>
/// <param name="Abandoned">Queues whose endpoint MassTransit has not reconnected, long after the broker came back: a restart of the endpoint mends them.</param>
/// <param name="Lost">Queues abandoned again after their endpoint was restarted: only a restart of the process is left.</param>
public sealed record ConsumerStalls(IReadOnlyList<string> Dropped, IReadOnlyList<string> Abandoned, IReadOnlyList<string> Lost);
