using Egov.Steering.Events.V1;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Inbox;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.Feed;

namespace Egov.Steering.Notifications.Events;

/// <summary>
/// Appends every event of Membership and Decisions to the log: once per id (the inbox, then the log's own key), and
/// each aggregate's events in version order (a version that arrives before its predecessor is parked until it has
/// been logged, and reported by the inbox); a DecisionApplied only after every event the decision caused (the versions it
/// lists), so on the feed a decision's outcome follows its effects whatever order they were published in.
/// </summary>
public sealed class EventLogHandler(
    NotificationsDbContext db, TimeProvider timeProvider, MessagingMetrics messagingMetrics, ILogger<EventLogHandler> logger)
    : InboxConsumer<NotificationsDbContext, EventEnvelope>(db, messagingMetrics, logger)
{
    protected override string ConsumerName => "event-log";

    protected override InboxOrdering? OrderOf(EventEnvelope message) =>
        message.Aggregate.Length > 0 && message.AggregateVersion > 0
            ? new InboxOrdering(message.Aggregate, message.AggregateVersion)
            : null;

    protected override IReadOnlyList<InboxOrdering> PrerequisitesOf(EventEnvelope message) =>
        message.EventCase == EventEnvelope.EventOneofCase.DecisionApplied
            ? [.. message.DecisionApplied.AggregateVersions.Select(caused => new InboxOrdering(caused.Key, caused.Value))]
            : [];

    protected override Task HandleAsync(EventEnvelope message, CancellationToken cancellationToken) =>
        EventLog.AppendAsync(Db, message, timeProvider.GetUtcNow().UtcDateTime, cancellationToken);
}
