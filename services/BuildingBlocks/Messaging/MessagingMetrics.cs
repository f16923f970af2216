using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Egov.Steering.Messaging;

/// <summary>Outbox and inbox instruments (meter <c>Egov.Steering.Messaging</c>), one set per host.</summary>
public sealed class MessagingMetrics
{
    public const string MeterName = "Egov.Steering.Messaging";

    private readonly ConcurrentDictionary<string, long> pendingByContext = new();
    private readonly ConcurrentDictionary<string, double> oldestPendingAgeByContext = new();
    private readonly ConcurrentDictionary<string, long> parkedByContext = new();
    private readonly ConcurrentDictionary<string, double> oldestParkedAgeByContext = new();

    public MessagingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        Published = meter.CreateCounter<long>("steering.outbox.published", "{message}", "Outbox rows published and confirmed by the broker");
        PublishFailures = meter.CreateCounter<long>("steering.outbox.publish_failures", "{message}", "Outbox publishes that failed and will be retried");
        PublishLatency = meter.CreateHistogram<double>("steering.outbox.publish_latency", "ms", "From saving an outbox row to the broker's confirm");
        Purged = meter.CreateCounter<long>("steering.outbox.purged", "{row}", "Published outbox rows and inbox ids removed after the retention period");
        InboxHandled = meter.CreateCounter<long>("steering.inbox.handled", "{message}", "Messages handled by an inbox consumer");
        InboxDuplicates = meter.CreateCounter<long>("steering.inbox.duplicates", "{message}", "Redelivered or stale messages acknowledged without handling");
        InboxGaps = meter.CreateCounter<long>(
            "steering.inbox.gaps", "{message}", "Messages that arrived before an earlier version of their aggregate and were parked until it was handled");
        meter.CreateObservableGauge(
            "steering.outbox.pending",
            () => pendingByContext.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("context", p.Key))),
            "{message}",
            "Outbox rows not yet published");
        meter.CreateObservableGauge(
            "steering.outbox.oldest_pending_age",
            () => oldestPendingAgeByContext.Select(p => new Measurement<double>(p.Value, new KeyValuePair<string, object?>("context", p.Key))),
            "s",
            "Age of the oldest outbox row not yet published (0 when none): how far the service's events are behind");
        meter.CreateObservableGauge(
            "steering.inbox.parked",
            () => parkedByContext.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("context", p.Key))),
            "{message}",
            "Messages parked until an earlier version they follow has been handled");
        meter.CreateObservableGauge(
            "steering.inbox.oldest_parked_age",
            () => oldestParkedAgeByContext.Select(p => new Measurement<double>(p.Value, new KeyValuePair<string, object?>("context", p.Key))),
            "s",
            "Age of the oldest parked message (0 when none): how long a missing version has been awaited");
    }

    internal Counter<long> Published { get; }

    internal Counter<long> PublishFailures { get; }

    internal Histogram<double> PublishLatency { get; }

    internal Counter<long> Purged { get; }

    internal Counter<long> InboxHandled { get; }

    internal Counter<long> InboxDuplicates { get; }

    internal Counter<long> InboxGaps { get; }

    internal void SetPending(string context, long pending, double oldestAgeSeconds)
    {
        pendingByContext[context] = pending;
        oldestPendingAgeByContext[context] = oldestAgeSeconds;
    }

    internal void SetParked(string context, long parked, double oldestAgeSeconds)
    {
        parkedByContext[context] = parked;
        oldestParkedAgeByContext[context] = oldestAgeSeconds;
    }
}
