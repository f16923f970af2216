using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Egov.Steering.Notifications;

/// <summary>
/// Notifications' spans and instruments (ActivitySource and Meter <c>Egov.Steering.Notifications</c>). The feed's
/// positions are sampled from the database by <see cref="Feed.FeedMetricsSampler"/>, so every replica reports the same
/// log and cursors whichever of them relays.
/// </summary>
public static class NotificationsTelemetry
{
    public const string Name = "Egov.Steering.Notifications";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);
    private static FeedSample feed = FeedSample.Empty;

    internal static readonly UpDownCounter<long> ActiveStreams =
        Meter.CreateUpDownCounter<long>("steering.feed.active_streams", "{stream}", "Open WatchEvents streams");

    internal static readonly Counter<long> StreamCutOffs =
        Meter.CreateCounter<long>("steering.feed.stream_cutoffs", "{stream}", "WatchEvents streams ended by the server (reason: too_far_behind, shutting_down)");

    internal static readonly Counter<long> RefusedStreams =
        Meter.CreateCounter<long>("steering.feed.refused_streams", "{stream}", "WatchEvents streams refused at the stream limits (reason: caller, process)");

    internal static readonly Counter<long> WebhookDeliveries =
        Meter.CreateCounter<long>("steering.webhook.deliveries", "{attempt}", "Webhook delivery attempts (outcome: succeeded, retrying, failed)");

    static NotificationsTelemetry()
    {
        Meter.CreateObservableGauge("steering.feed.head_position", () => Volatile.Read(ref feed).Head, "{position}",
            "The last position of the event log");
        Meter.CreateObservableGauge(
            "steering.feed.cursor_lag",
            () => Volatile.Read(ref feed).Cursors.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>("cursor", c.Key))),
            "{event}",
            "Events of the log a relay (cursor: public-exchange, webhooks) has not yet published or queued");
        Meter.CreateObservableGauge("steering.webhook.pending_deliveries", () => Volatile.Read(ref feed).PendingDeliveries, "{delivery}",
            "Webhook deliveries queued and not yet succeeded or failed");
        Meter.CreateObservableGauge("steering.webhook.oldest_pending_age", () => Volatile.Read(ref feed).OldestPendingDeliveryAge, "s",
            "Age of the oldest pending webhook delivery (0 when none)");
    }

    internal static void Record(FeedSample sample) => Volatile.Write(ref feed, sample);

    internal static KeyValuePair<string, object?> Reason(string reason) => new("reason", reason);
}

/// <summary>One reading of the log's head, the relays' lag and the webhook queue.</summary>
internal sealed record FeedSample(long Head, IReadOnlyDictionary<string, long> Cursors, long PendingDeliveries, double OldestPendingDeliveryAge)
{
    public static readonly FeedSample Empty = new(0, new Dictionary<string, long>(), 0, 0);
}
