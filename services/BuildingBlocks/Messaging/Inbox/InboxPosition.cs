namespace Egov.Steering.Messaging.Inbox;

/// <summary>The last version of an aggregate that an ordered consumer has handled.</summary>
public sealed class InboxPosition
{
    public required string Consumer { get; set; }

    public required string Aggregate { get; set; }

    public long Version { get; set; }

    public DateTime UpdatedAt { get; set; }
}
