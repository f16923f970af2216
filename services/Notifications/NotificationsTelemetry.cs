using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Egov.Steering.Notifications;

/// <summary>
/// Notifications' spans and instruments (ActivitySource and Meter <c>Egov.Steering.Notifications</c>); the
/// instruments are one set per host. The feed's positions are sampled from the database by
/// <see cref="Feed.FeedMetricsSampler"/>, so every replica reports the same log and cursors whichever of them relays.
/// </summary>
public sealed class NotificationsTelemetry
{
    public const string Name = "Egov.Steering.Notifications";

    internal static readonly ActivitySource Source = new(Name);

    private FeedSample feed = FeedSample.Empty;

    public NotificationsTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        ActiveStreams = meter.CreateUpDownCounter<long>("steering.feed.active_streams", "{stream}", "Open WatchEvents streams");
        StreamCutOffs = meter.CreateCounter<long>(
            "steering.feed.stream_cutoffs", "{stream}", "WatchEvents streams ended by the server (reason: too_far_behind, shutting_down)");
        RefusedStreams = meter.CreateCounter<long>(
            "steering.feed.refused_streams", "{stream}", "WatchEvents streams refused at the stream limits (reason: caller, process)");
        WebhookDeliveries = meter.CreateCounter<long>(
            "steering.webhook.deliveries", "{attempt}", "Webhook delivery attempts (outcome: succeeded, retrying, failed)");
        meter.CreateObservableGauge("steering.feed.head_position", () => Volatile.Read(ref feed).Head, "{position}",
            "The last position of the event log");
        meter.CreateObservableGauge(
            "steering.feed.cursor_lag",
            () => Volatile.Read(ref feed).Cursors.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>("cursor", c.Key))),
            "{event}",
            "Events of the log a relay (cursor: public-exchange, webhooks) has not yet published or queued");
        meter.CreateObservableGauge("steering.webhook.pending_deliveries", () => Volatile.Read(ref feed).PendingDeliveries, "{delivery}",
            "Webhook deliveries queued and not yet succeeded or failed");
        meter.CreateObservableGauge("steering.webhook.oldest_pending_age", () => Volatile.Read(ref feed).OldestPendingDeliveryAge, "s",
            "Age of the oldest pending webhook delivery (0 when none)");
    }

    internal UpDownCounter<long> ActiveStreams { get; }

    internal Counter<long> StreamCutOffs { get; }

    internal Counter<long> RefusedStreams { get; }

    internal Counter<long> WebhookDeliveries { get; }

    internal static KeyValuePair<string, object?> Reason(string reason) => new("reason", reason);

    internal void Record(FeedSample sample) => Volatile.Write(ref feed, sample);
}

/// <summary>One reading of the log's head, the relays' lag and the webhook queue.</summary>
internal sealed record FeedSample(long Head, IReadOnlyDictionary<string, long> Cursors, long PendingDeliveries, double OldestPendingDeliveryAge)
{
    public static readonly FeedSample Empty = new(0, new Dictionary<string, long>(), 0, 0);
}
