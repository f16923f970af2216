namespace Egov.Steering.Messaging.Inbox;

/// <summary>A message id a consumer has handled, recorded in the same transaction as the handling.</summary>
public sealed class InboxMessage
{
    public required string Consumer { get; set; }

    public Guid MessageId { get; set; }

    public DateTime HandledAt { get; set; }
}
