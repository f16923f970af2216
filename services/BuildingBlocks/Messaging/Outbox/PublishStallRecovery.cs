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
    private const int MaxDoublings = 6;

    private readonly Lock gate = new();
    private long confirmed;
    private long confirmedAtStall = -1;
    private DateTimeOffset stalledSince;
    private int restartsInStall;
    private int recovering;

    /// <summary>A publish was confirmed: whatever stalled is over.</summary>
    public void OnConfirmed() => Interlocked.Increment(ref confirmed);

    /// <summary>A publish went unconfirmed for <see cref="OutboxOptions.PublishTimeout"/>; restarts the bus once the stall is long enough.</summary>
    public async Task OnUnconfirmedAsync(CancellationToken stoppingToken)
    {
        if (broker is null || restart is null || !StalledLongEnough() || Interlocked.Exchange(ref recovering, 1) == 1)
        {
            return;
        }

        try
        {
            if (!await BrokerConfirmsAsync(stoppingToken))
            {
                return; // the broker itself does not confirm: MassTransit's reconnection is what helps
            }

            LogRestarting(stalledSince);
            if (await restart.TryRestartAsync("publish_unconfirmed", stoppingToken))
            {
                lock (gate)
                {
                    restartsInStall++;
                    stalledSince = time.GetUtcNow();
                }
            }
        }
        finally
        {
            Volatile.Write(ref recovering, 0);
        }
    }

    private bool StalledLongEnough()
    {
        var now = time.GetUtcNow();
        var confirmedNow = Interlocked.Read(ref confirmed);
        lock (gate)
        {
            if (confirmedNow != confirmedAtStall)
            {
                (confirmedAtStall, stalledSince, restartsInStall) = (confirmedNow, now, 0);
                return false;
            }

            return now - stalledSince >= options.Value.PublishTimeout * (1 << Math.Min(restartsInStall, MaxDoublings));
        }
    }

    private async Task<bool> BrokerConfirmsAsync(CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(options.Value.PublishTimeout);
        try
        {
            await using var connection = await broker!.ConnectAsync("publish-probe", timeout.Token);
            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), timeout.Token);
            await channel.BasicPublishAsync(string.Empty, ProbeRoutingKey, mandatory: false, new BasicProperties(), ReadOnlyMemory<byte>.Empty, timeout.Token);
            return true;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            LogBrokerNotConfirming(e);
            return false;
        }
    }

    [LoggerMessage(LogLevel.Warning, "The bus's publishes have gone unconfirmed since {Since:o} while the broker confirms on a new connection; restarting the bus")]
    private partial void LogRestarting(DateTimeOffset since);

    [LoggerMessage(LogLevel.Warning, "The bus's publishes go unconfirmed and the broker did not confirm a probe either; waiting for the broker")]
    private partial void LogBrokerNotConfirming(Exception exception);
}
