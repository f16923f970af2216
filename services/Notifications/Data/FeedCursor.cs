namespace Egov.Steering.Notifications.Data;

/// <summary>How far a relay over the log (the public exchange, the webhook dispatcher) has got.</summary>
public sealed class FeedCursor
{
    public const string PublicExchange = "public-exchange";
    public const string Webhooks = "webhooks";

    public required string Name { get; set; }

    public long Position { get; set; }

    public DateTime UpdatedAt { get; set; }
}
