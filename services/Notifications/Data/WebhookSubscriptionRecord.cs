namespace Egov.Steering.Notifications.Data;

public sealed class WebhookSubscriptionRecord
{
    public required string Id { get; set; }

    public required string Uri { get; set; }

    /// <summary>The EventFilter's protobuf encoding.</summary>
    public required byte[] Filter { get; set; }

    public int PayloadFormat { get; set; }

    public required string Secret { get; set; }

    public int State { get; set; }

    public string StateReason { get; set; } = string.Empty;

    public required string OwnerOrganisation { get; set; }

    /// <summary>Events after this log position are delivered (the log's end when it was created).</summary>
    public long StartPosition { get; set; }

    public int ConsecutiveFailedDeliveries { get; set; }

    public DateTime CreateTime { get; set; }

    public DateTime UpdateTime { get; set; }

    /// <summary>
    /// Counts the changes a client can see (its etag, <see cref="ServiceDefaults.Errors.EntityTag"/>); delivery
    /// bookkeeping that does not show, such as the failure count, leaves it.
    /// </summary>
    public long Revision { get; set; }
}
