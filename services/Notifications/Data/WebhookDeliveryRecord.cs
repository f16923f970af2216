namespace Egov.Steering.Notifications.Data;

public sealed class WebhookDeliveryRecord
{
    public long Id { get; set; }

    public required string SubscriptionId { get; set; }

    public long EventPosition { get; set; }

    public required string EventId { get; set; }

    public required string EventType { get; set; }

    public int State { get; set; }

    public int AttemptCount { get; set; }

    public DateTime? LastAttemptAt { get; set; }

    /// <summary>When PENDING: the next attempt is due; an attempt in flight pushes it ahead as a lease.</summary>
    public DateTime NextAttemptAt { get; set; }

    public int LastHttpStatus { get; set; }

    public string LastError { get; set; } = string.Empty;

    public DateTime CreatedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    /// <summary>Claims by replicas race on it: the loser skips the delivery.</summary>
    public Guid Version { get; set; }
}
