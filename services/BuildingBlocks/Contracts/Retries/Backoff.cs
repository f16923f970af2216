namespace Egov.Steering.Retries;

/// <summary>
/// Exponential back-off with jitter, the one rule of every retry loop (outbox relay, webhook deliveries, steeringctl's
/// reconnects): the delay before retry n is <see cref="First"/> doubled n−1 times, capped at <see cref="Max"/>, then
/// drawn between half of it and all of it, so that clients that failed together do not retry in lockstep and no
/// delay exceeds <see cref="Max"/>. Here (not in Messaging) because steeringctl references only Contracts.
/// </summary>
public sealed record Backoff(TimeSpan First, TimeSpan Max)
{
    /// <summary>The delay before retry <paramref name="retry"/> (1 for the first retry).</summary>
    public TimeSpan Delay(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var exponential = First.Ticks * Math.Pow(2, Math.Min(retry - 1, 30));
        var capped = Math.Min(exponential, Max.Ticks);
        return TimeSpan.FromTicks((long)(capped * (0.5 + (Random.Shared.NextDouble() / 2))));
    }
}
