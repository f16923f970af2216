using System.Text.Json;
using Egov.Steering.Events.V1;
using Egov.Steering.Messaging.CloudEvents;
using Egov.Steering.Messaging.Serialization;
using Egov.Steering.Messaging.Tracing;
using Egov.Steering.Storage;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Messaging.Outbox;

public static class OutboxDbContextExtensions
{
    /// <summary>
    /// Adds <paramref name="message"/> to the outbox of <paramref name="db"/>: it is saved by the caller's next
    /// SaveChanges, in the caller's transaction, and published by the relay only once that transaction commits.
    /// </summary>
    public static OutboxMessage AddOutboxMessage(this DbContext db, IMessage message, OutboxRouting routing)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(routing.Aggregate);

        var headers = new Dictionary<string, string>(routing.Headers);
        if (TraceContext.Current is { } trace)
        {
            headers.TryAdd(ProtobufMessageSerializer.TraceParentHeader, trace.TraceParent);
            if (trace.TraceState.Length > 0)
            {
                headers.TryAdd(ProtobufMessageSerializer.TraceStateHeader, trace.TraceState);
            }
        }

        var now = DateTime.UtcNow;
        var row = new OutboxMessage
        {
            MessageId = routing.MessageId ?? Guid.CreateVersion7(),
            Partition = OutboxPartitions.Of(routing.Aggregate),
            Aggregate = routing.Aggregate,
            AggregateVersion = routing.AggregateVersion,
            MessageType = message.Descriptor.FullName,
            Body = message.ToByteArray(),
            Headers = JsonSerializer.Serialize(headers),
            CreatedAt = now,
            NextAttemptAt = now,
        };
        db.Set<OutboxMessage>().Add(row);
        OutboxInterceptor.MarkPending(db, row.Partition);
        return row;
    }

    /// <summary>
    /// Adds an event to the outbox under its own id (a new one when empty), with its CloudEvents headers, ordered by
    /// its aggregate and version; or, given <paramref name="orderingKey"/>, in insert order with every other row of
    /// that key, whatever their aggregates (for events whose consumers need an order across aggregates).
    /// </summary>
    public static OutboxMessage AddOutboxEvent(this DbContext db, EventEnvelope envelope, string? orderingKey = null)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Id.Length == 0)
        {
            envelope.Id = Guid.CreateVersion7().ToString();
        }

        // The CloudEvents distributed-tracing extension: every channel that serves the event carries the context of
        // the work that emitted it.
        if (envelope.Traceparent.Length == 0 && TraceContext.Current is { } trace)
        {
            envelope.Traceparent = trace.TraceParent;
            envelope.Tracestate = trace.TraceState;
        }

        var messageId = Guid.TryParse(envelope.Id, out var id)
            ? id
            : throw new ArgumentException($"event id '{envelope.Id}' is not a UUID", nameof(envelope));
        var routing = orderingKey is null
            ? new OutboxRouting(envelope.Aggregate, envelope.AggregateVersion)
            : new OutboxRouting(orderingKey, OutboxRouting.InsertOrder);
        return db.AddOutboxMessage(envelope, routing with
        {
            MessageId = messageId,
            Headers = CloudEventHeaders.From(envelope),
        });
    }

    /// <summary>
    /// The latest version of each aggregate among the outbox rows added to <paramref name="db"/> and not saved yet, i.e.
    /// the events the current step adds: what an event that must follow them lists (a decision's outcome after its
    /// effects). Rows saved before in the same transaction (an earlier message of a batch) are not among them.
    /// </summary>
    public static IReadOnlyDictionary<string, long> PendingOutboxVersions(this DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Outbox rows are only ever added, which the tracker knows without scanning every entity for changes.
        using var detected = db.ChangeTracker.PauseDetection();
        return db.ChangeTracker.Entries<OutboxMessage>()
            .Where(entry => entry.State == EntityState.Added && entry.Entity.AggregateVersion != OutboxRouting.InsertOrder)
            .GroupBy(entry => entry.Entity.Aggregate, StringComparer.Ordinal)
            .ToDictionary(rows => rows.Key, rows => rows.Max(row => row.Entity.AggregateVersion), StringComparer.Ordinal);
    }
}
