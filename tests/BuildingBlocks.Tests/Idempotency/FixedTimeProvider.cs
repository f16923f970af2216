namespace Egov.Steering.BuildingBlocks.Tests.Idempotency;

/// <summary>A clock the test moves by hand (retention is about days; tests cannot wait for them).</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
