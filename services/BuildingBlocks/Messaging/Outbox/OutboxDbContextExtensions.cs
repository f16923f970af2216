using System.Diagnostics;
using System.Text.Json;
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
        ProtobufMessageTypes.Register(message.Descriptor);

        var headers = new Dictionary<string, string>(routing.Headers);
        if (Activity.Current?.Id is { } traceParent)
        {
            headers.TryAdd(OutboxHeaders.TraceParent, traceParent);
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
        OutboxInterceptor.MarkPending(db);
        return row;
    }
}
