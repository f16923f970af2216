namespace Egov.Steering.Messaging.Inbox;

/// <summary>
/// A message that arrived before a version it must follow, kept in the consumer's database (and acknowledged to the
/// broker) until that version has been handled: it waits here, not in one of the consumer's delivery slots.
/// </summary>
public sealed class InboxParkedMessage
{
    public required string Consumer { get; set; }

    public Guid MessageId { get; set; }

    /// <summary>The aggregate it waits for, and the version of it that must have been handled first.</summary>
    public required string Aggregate { get; set; }

    public long ReadyAtVersion { get; set; }

    /// <summary>The message as protobuf bytes.</summary>
    public required byte[] Body { get; set; }

    public string? TraceParent { get; set; }

    public string? TraceState { get; set; }

    public DateTime ParkedAt { get; set; }
}
