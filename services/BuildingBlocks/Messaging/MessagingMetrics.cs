using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Egov.Steering.Messaging;

/// <summary>Outbox and inbox instruments (meter <c>Egov.Steering.Messaging</c>).</summary>
public static class MessagingMetrics
{
    public const string MeterName = "Egov.Steering.Messaging";

    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<string, long> PendingByContext = new();
    private static readonly ConcurrentDictionary<string, double> OldestPendingAgeByContext = new();

    internal static readonly Counter<long> Published =
        Meter.CreateCounter<long>("steering.outbox.published", "{message}", "Outbox rows published and confirmed by the broker");

    internal static readonly Counter<long> PublishFailures =
        Meter.CreateCounter<long>("steering.outbox.publish_failures", "{message}", "Outbox publishes that failed and will be retried");

    internal static readonly Histogram<double> PublishLatency =
        Meter.CreateHistogram<double>("steering.outbox.publish_latency", "ms", "From saving an outbox row to the broker's confirm");

    internal static readonly Counter<long> Purged =
        Meter.CreateCounter<long>("steering.outbox.purged", "{row}", "Published outbox rows and inbox ids removed after the retention period");

    internal static readonly Counter<long> InboxHandled =
        Meter.CreateCounter<long>("steering.inbox.handled", "{message}", "Messages handled by an inbox consumer");

    internal static readonly Counter<long> InboxDuplicates =
        Meter.CreateCounter<long>("steering.inbox.duplicates", "{message}", "Redelivered or stale messages acknowledged without handling");

    internal static readonly Counter<long> InboxGaps =
        Meter.CreateCounter<long>("steering.inbox.gaps", "{message}", "Messages that arrived before an earlier version of their aggregate and were retried");

    static MessagingMetrics()
    {
        Meter.CreateObservableGauge(
            "steering.outbox.pending",
            () => PendingByContext.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("context", p.Key))),
            "{message}",
            "Outbox rows not yet published");
        Meter.CreateObservableGauge(
            "steering.outbox.oldest_pending_age",
            () => OldestPendingAgeByContext.Select(p => new Measurement<double>(p.Value, new KeyValuePair<string, object?>("context", p.Key))),
            "s",
            "Age of the oldest outbox row not yet published (0 when none): how far the service's events are behind");
    }

    internal static void SetPending(string context, long pending, double oldestAgeSeconds)
    {
        PendingByContext[context] = pending;
        OldestPendingAgeByContext[context] = oldestAgeSeconds;
    }
}
