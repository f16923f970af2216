namespace Egov.Steering.Writes;

/// <summary>Configuration section <c>Idempotency</c>.</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>How long a first answer is kept for retries (AIP-155 asks for at least an hour).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often expired answers are purged.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}
