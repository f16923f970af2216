using System.Diagnostics;
using System.Globalization;
using Egov.Steering.Events.V1;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.CloudEvents;
using Egov.Steering.Messaging.Tracing;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Types.V1;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// Republishes the log, in position order, on the public topic exchange with RabbitMQ.Client directly: the exchange,
/// routing keys and headers are a public contract of their own, not MassTransit's topology. A batch is published with
/// publisher confirms and the cursor moves (in the transaction that locks it) only after the broker confirmed every
/// message, so nothing is marked published unconfirmed; a crash in between republishes (consumers de-duplicate by id).
/// </summary>
public sealed partial class PublicExchangeRelay(
    IServiceScopeFactory scopes,
    LogSignal signal,
    RabbitMqBroker broker,
    IOptions<NotificationsOptions> options,
    TimeProvider timeProvider,
    ILogger<PublicExchangeRelay> logger) : BackgroundService
{
    /// <summary>The name this relay's connection gives the broker (shown by <c>rabbitmqctl list_connections</c>).</summary>
    public const string ConnectionName = "notifications-public-exchange";

    /// <summary>The header carrying the log position (also in the body's <c>position</c>).</summary>
    public const string PositionHeader = CloudEventHeaders.Prefix + CloudEventHeaders.PositionAttribute;

    /// <summary>"&lt;level&gt;.&lt;jurisdiction&gt;.&lt;event type&gt;", e.g. "province.province-2025-52.egov.steering.events.v1.MembershipStarted".</summary>
    public static string RoutingKeyOf(EventEnvelope envelope)
    {
        var level = envelope.CommitteeLevel == CommitteeLevel.Unspecified
            ? "none"
            : envelope.CommitteeLevel.ToString().ToLowerInvariant();
        var jurisdiction = envelope.Jurisdiction.Length > 0 ? envelope.Jurisdiction : "none";
        return $"{level}.{jurisdiction}.{envelope.Type}";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = signal.Subscribe();
        var settings = options.Value.PublicExchange;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await broker.ConnectAsync(ConnectionName, stoppingToken);
                await using var channel = await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                    stoppingToken);
                await channel.ExchangeDeclareAsync(settings.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: stoppingToken);
                await EnsureCursorAsync(stoppingToken);
                long? relayedThrough = null;
                while (!stoppingToken.IsCancellationRequested)
                {
                    var unpositioned = signal.UnpositionedWakeUps;
                    int published;
                    do
                    {
                        var relayed = await RelayBatchAsync(channel, settings, stoppingToken);
                        (published, relayedThrough) = (relayed.Published, relayed.Through ?? relayedThrough);
                    }
                    while (published == settings.BatchSize);

                    // A wake-up for appends this relay already published (one that committed while a pass ran) is not
                    // worth a transaction; a poll always is: another replica may have relayed, or appended unannounced.
                    while (await wait(options.Value.Feed.PollInterval, stoppingToken) && !signal.MayHaveNewAfter(relayedThrough, unpositioned))
                    {
                    }
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogRelayFailed(exception);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    /// <summary>
    /// How many events a pass published, and the position through which this relay has published every event (null:
    /// it published none: nothing was new, or another replica holds the cursor).
    /// </summary>
    private readonly record struct Relayed(int Published, long? Through);

    private async Task EnsureCursorAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        await FeedCursorLock.EnsureExistsAsync(db, FeedCursor.PublicExchange, timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
    }

    /// <summary>Publishes the next batch after the cursor.</summary>
    private async Task<Relayed> RelayBatchAsync(IChannel channel, PublicExchangeOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var batch = await FeedCursorLock.TryLockAndReadAfterAsync(db, FeedCursor.PublicExchange, settings.BatchSize, now, cancellationToken);
        if (batch.Count == 0)
        {
            return new(0, null);
        }

        // Tracked confirmations: each publish completes when the broker confirmed it (or throws on a nack/return). Past the
        // timeout the batch fails: the caller reconnects, as the broker may have stopped serving this channel.
        await PublisherConfirms.WithinAsync(
            settings.ConfirmTimeout,
            token => Task.WhenAll(batch.Select(row => PublishAsync(channel, settings.Exchange, row.ToEnvelope(), token))),
            cancellationToken);
        await FeedCursorLock.MoveAsync(db, FeedCursor.PublicExchange, batch[^1].Position, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(batch.Count, batch[^1].Position);
    }

    private static async Task PublishAsync(IChannel channel, string exchange, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        // Continues the event's trace; RabbitMQ.Client's publish span (a child) writes the W3C traceparent header.
        using var activity = TraceContext.StartActivity(
            NotificationsTelemetry.Source, exchange + " publish", ActivityKind.Producer, envelope.Traceparent, envelope.Tracestate);
        activity?.SetTag("messaging.message.id", envelope.Id);
        var headers = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in CloudEventHeaders.From(envelope))
        {
            headers[name] = value;
        }

        headers[PositionHeader] = envelope.Position.ToString(CultureInfo.InvariantCulture);
        var properties = new BasicProperties
        {
            ContentType = ProtobufContentTypes.MediaType + "; proto=" + EventEnvelope.Descriptor.FullName,
            MessageId = envelope.Id,
            Type = envelope.Type,
            DeliveryMode = DeliveryModes.Persistent,
            Timestamp = new AmqpTimestamp(envelope.Time?.Seconds ?? 0),
            Headers = headers,
        };
        await channel.BasicPublishAsync(exchange, RoutingKeyOf(envelope), mandatory: false, properties, envelope.ToByteArray(), cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "Publishing the log on the public exchange failed; reconnecting")]
    private partial void LogRelayFailed(Exception exception);
}
