using System.Collections.Concurrent;
using Egov.Steering.Events.V1;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Inbox;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging;

/// <summary>Handles each event id once and records the handling in the consumer's database.</summary>
public class RecordingConsumer(MessagingTestDbContext db, ConsumerName name, MessagingMetrics metrics, ILogger<RecordingConsumer> logger)
    : InboxConsumer<MessagingTestDbContext, EventEnvelope>(db, metrics, logger)
{
    protected override string ConsumerName => name.Value;

    protected override Task HandleAsync(EventEnvelope message, CancellationToken cancellationToken)
    {
        Db.HandledEvents.Add(new HandledEvent
        {
            Consumer = ConsumerName,
            MessageId = Guid.Parse(message.Id),
            Aggregate = message.Aggregate,
            Version = message.AggregateVersion,
        });
        return Task.CompletedTask;
    }
}

/// <summary>Also handles each aggregate's versions in order.</summary>
public sealed class OrderedRecordingConsumer(MessagingTestDbContext db, ConsumerName name, MessagingMetrics metrics, ILogger<RecordingConsumer> logger)
    : RecordingConsumer(db, name, metrics, logger)
{
    protected override InboxOrdering? OrderOf(EventEnvelope message) => new(message.Aggregate, message.AggregateVersion);
}

/// <summary>An ordered consumer whose handler fails for the messages a test has poisoned, counting each attempt.</summary>
public sealed class PoisonableConsumer(
    MessagingTestDbContext db, ConsumerName name, PoisonedMessages poisoned, MessagingMetrics metrics, ILogger<RecordingConsumer> logger)
    : RecordingConsumer(db, name, metrics, logger)
{
    protected override InboxOrdering? OrderOf(EventEnvelope message) => new(message.Aggregate, message.AggregateVersion);

    protected override Task HandleAsync(EventEnvelope message, CancellationToken cancellationToken)
    {
        var id = Guid.Parse(message.Id);
        poisoned.Attempts.AddOrUpdate(id, 1, (_, attempts) => attempts + 1);
        return poisoned.Ids.ContainsKey(id) ? throw new InvalidOperationException($"poisoned message {id}") : base.HandleAsync(message, cancellationToken);
    }
}

public sealed class PoisonedMessages
{
    public ConcurrentDictionary<Guid, bool> Ids { get; } = new();

    public ConcurrentDictionary<Guid, int> Attempts { get; } = new();
}

/// <summary>Also handles a decision's outcome only after the versions it lists, as Notifications' log does.</summary>
public sealed class OutcomeRecordingConsumer(MessagingTestDbContext db, ConsumerName name, MessagingMetrics metrics, ILogger<RecordingConsumer> logger)
    : RecordingConsumer(db, name, metrics, logger)
{
    protected override InboxOrdering? OrderOf(EventEnvelope message) => new(message.Aggregate, message.AggregateVersion);

    protected override IReadOnlyList<InboxOrdering> PrerequisitesOf(EventEnvelope message) =>
        message.DecisionApplied is { } applied ? [.. applied.AggregateVersions.Select(caused => new InboxOrdering(caused.Key, caused.Value))] : [];
}

/// <summary>Records every delivery as it comes, duplicates included: what the broker carried, in its order.</summary>
public sealed class DeliveryLogConsumer(DeliveryLog log) : IConsumer<EventEnvelope>
{
    public Task Consume(ConsumeContext<EventEnvelope> context)
    {
        log.Deliveries.Enqueue((context.MessageId!.Value, context.Message.Aggregate, context.Message.AggregateVersion));
        return Task.CompletedTask;
    }
}

public sealed class DeliveryLog
{
    public ConcurrentQueue<(Guid MessageId, string Aggregate, long Version)> Deliveries { get; } = new();
}
