namespace Egov.Steering.Messaging.Outbox;

/// <summary>
/// A message saved in the same transaction as the domain change that caused it, published later by the relay.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>Insert order; the relay publishes each aggregate's rows in this order.</summary>
    public long Sequence { get; set; }

    /// <summary>The MassTransit MessageId and the CloudEvents id: consumers de-duplicate on it.</summary>
    public Guid MessageId { get; set; }

    /// <summary>Stable hash of <see cref="Aggregate"/>: one relay at a time publishes a partition.</summary>
    public int Partition { get; set; }

    /// <summary>
    /// The ordering key: the relay publishes the rows of one key one after another, in order. Usually the resource
    /// name of the message's aggregate, e.g. "committees/gia-lai-64"; or a stream spanning aggregates
    /// (see <see cref="OutboxRouting.InsertOrder"/>).
    /// </summary>
    public required string Aggregate { get; set; }

    /// <summary>The message's version within <see cref="Aggregate"/>; 0 in a stream (insert order).</summary>
    public long AggregateVersion { get; set; }

    /// <summary>Protobuf full name of the message, e.g. "egov.steering.events.v1.EventEnvelope".</summary>
    public required string MessageType { get; set; }

    /// <summary>The protobuf encoding of the message.</summary>
    public required byte[] Body { get; set; }

    /// <summary>Transport headers as a JSON object of strings.</summary>
    public required string Headers { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? PublishedAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>When the relay may try again after a failure (the row blocks its aggregate until then).</summary>
    public DateTime NextAttemptAt { get; set; }

    public string? LastError { get; set; }
}
