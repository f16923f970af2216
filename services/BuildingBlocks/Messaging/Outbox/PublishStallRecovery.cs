using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Egov.Steering.Messaging.Outbox;

/// <summary>
/// Restarts the bus when its publishes stay unconfirmed while the broker confirms a publish on a connection of its own.
/// A channel the broker stopped serving (seen when a cluster node stopped: every publish of Decisions' relay timed out
/// for minutes while the connection, its consumers and the other services worked) is otherwise never replaced, since
/// MassTransit replaces a channel only when it is closed. The stall must outlast <see cref="OutboxOptions.PublishTimeout"/>
/// after a first unconfirmed publish, doubling after each restart that did not end it; without RabbitMQ (the in-memory
/// bus) it does nothing.
/// </summary>
internal sealed partial class PublishStallRecovery(
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<PublishStallRecovery> logger,
    RabbitMqBroker? broker = null,
    BusRestart? restart = null)
{
    // The default exchange with no queue of this name: the probe is routed nowhere and confirmed at once.
    private const string ProbeRoutingKey = "steering.publish-probe";

    private readonly PublishStall stall = new(options.Value.PublishTimeout);
    private int recovering;

    /// <summary>A publish was confirmed: whatever stalled is over.</summary>
    public void OnConfirmed() => stall.Confirmed();

    /// <summary>A publish went unconfirmed for <see cref="OutboxOptions.PublishTimeout"/>; restarts the bus once the stall is long enough.</summary>
    public async Task OnUnconfirmedAsync(CancellationToken stoppingToken)
    {
        if (broker is null || restart is null || stall.Unconfirmed(time.GetUtcNow()) is not { } since
            || Interlocked.Exchange(ref recovering, 1) == 1)
        {
            return;
        }

        try
        {
            if (!await BrokerConfirmsAsync(stoppingToken))
            {
                return; // the broker itself does not confirm: MassTransit's reconnection is what helps
            }

            LogRestarting(since);
            if (await restart.TryRestartAsync("publish_unconfirmed", stoppingToken))
            {
                stall.Restarted(time.GetUtcNow());
            }
        }
        finally
        {
            Volatile.Write(ref recovering, 0);
        }
    }

    private async Task<bool> BrokerConfirmsAsync(CancellationToken stoppingToken)
    {
        try
        {
            await PublisherConfirms.WithinAsync(options.Value.PublishTimeout, ProbeAsync, stoppingToken);
            return true;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogBrokerNotConfirming(e);
            return false;
        }
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await broker!.ConnectAsync("publish-probe", cancellationToken);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        await channel.BasicPublishAsync(string.Empty, ProbeRoutingKey, mandatory: false, new BasicProperties(), ReadOnlyMemory<byte>.Empty, cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "The bus's publishes have gone unconfirmed since {Since:o} while the broker confirms on a new connection; restarting the bus")]
    private partial void LogRestarting(DateTimeOffset since);

    [LoggerMessage(LogLevel.Warning, "The bus's publishes go unconfirmed and the broker did not confirm a probe either; waiting for the broker")]
    private partial void LogBrokerNotConfirming(Exception exception);
}

/// <summary>
/// When unconfirmed publishes call for a bus restart: a stall starts at the first unconfirmed publish after a confirmed
/// one and calls for a restart once it has lasted the publish timeout, then twice as long after each restart that did
/// not end it (at most 64 times); any confirmed publish ends it.
/// </summary>
public sealed class PublishStall(TimeSpan publishTimeout)
{
    private const int MaxDoublings = 6;

    private readonly Lock gate = new();
    private long confirmed;
    private long confirmedAtStart = -1;
    private DateTimeOffset since;
    private int restarts;

    public void Confirmed() => Interlocked.Increment(ref confirmed);

    /// <summary>Records an unconfirmed publish at <paramref name="now"/>; returns the stall's start when it calls for a restart.</summary>
    public DateTimeOffset? Unconfirmed(DateTimeOffset now)
    {
        var confirmedNow = Interlocked.Read(ref confirmed);
        lock (gate)
        {
            if (confirmedNow != confirmedAtStart)
            {
                (confirmedAtStart, since, restarts) = (confirmedNow, now, 0);
                return null;
            }

            return now - since >= publishTimeout * (1 << Math.Min(restarts, MaxDoublings)) ? since : null;
        }
    }

    /// <summary>A restart done at <paramref name="now"/>: the stall, if it goes on, waits twice as long for the next.</summary>
    public void Restarted(DateTimeOffset now)
    {
        lock (gate)
        {
            restarts++;
            since = now;
        }
    }
}
