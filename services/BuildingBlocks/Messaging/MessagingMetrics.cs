using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Egov.Steering.Messaging;

/// <summary>Outbox and inbox instruments (meter <c>Egov.Steering.Messaging</c>), one set per host.</summary>
public sealed class MessagingMetrics
{
    public const string MeterName = "Egov.Steering.Messaging";

    private readonly Backlog outboxPending;
    private readonly Backlog inboxParked;

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
        BusRestarts = meter.CreateCounter<long>(
            "steering.bus.restarts", "{restart}", "Bus restarts because the broker stopped serving the connection (a consumer lost, publishes left unconfirmed), and restarts of an endpoint MassTransit stopped reconnecting (reason)");
        outboxPending = new Backlog(
            meter,
            "steering.outbox.pending",
            "Outbox rows not yet published",
            "steering.outbox.oldest_pending_age",
            "Age of the oldest outbox row not yet published (0 when none): how far the service's events are behind");
        inboxParked = new Backlog(
            meter,
            "steering.inbox.parked",
            "Messages parked until an earlier version they follow has been handled",
            "steering.inbox.oldest_parked_age",
            "Age of the oldest parked message (0 when none): how long a missing version has been awaited");
    }

    internal Counter<long> Published { get; }

    internal Counter<long> BusRestarts { get; }

    internal Counter<long> PublishFailures { get; }

    internal Histogram<double> PublishLatency { get; }

    internal Counter<long> Purged { get; }

    internal Counter<long> InboxHandled { get; }

    internal Counter<long> InboxDuplicates { get; }

    internal Counter<long> InboxGaps { get; }

    /// <summary>The outbox rows of database <paramref name="context"/> not yet published, and the oldest one's time.</summary>
    internal void SetPending(string context, long pending, DateTime? oldest, DateTime now) => outboxPending.Set(context, pending, oldest, now);

    /// <summary>The messages parked in database <paramref name="context"/>, and the oldest one's time.</summary>
    internal void SetParked(string context, long parked, DateTime? oldest, DateTime now) => inboxParked.Set(context, parked, oldest, now);

    /// <summary>Rows waiting in each service database, as two gauges tagged by <c>context</c>: how many, and the oldest one's age.</summary>
    private sealed class Backlog
    {
        private readonly ConcurrentDictionary<string, (long Count, double OldestAgeSeconds)> byContext = new();

        public Backlog(Meter meter, string countName, string countDescription, string ageName, string ageDescription)
        {
            meter.CreateObservableGauge(
                countName, () => byContext.Select(p => new Measurement<long>(p.Value.Count, Tag(p.Key))), "{message}", countDescription);
            meter.CreateObservableGauge(
                ageName, () => byContext.Select(p => new Measurement<double>(p.Value.OldestAgeSeconds, Tag(p.Key))), "s", ageDescription);
        }

        public void Set(string context, long count, DateTime? oldest, DateTime now) =>
            byContext[context] = (count, oldest is { } at ? Math.Max(0, (now - DateTime.SpecifyKind(at, DateTimeKind.Utc)).TotalSeconds) : 0);

        private static KeyValuePair<string, object?> Tag(string context) => new("context", context);
    }
}
