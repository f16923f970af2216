namespace Egov.Steering.ServiceDefaults.Audit;

/// <summary>
/// A token bucket per caller key: a caller's refusals are recorded up to a burst, then one per interval; those not
/// recorded are counted and handed to the next one that is, so the trail says how many were left out.
/// </summary>
internal sealed class RefusalRateLimiter(int burst, TimeSpan interval, TimeProvider time)
{
    // Buckets that refilled and owe no count carry no state and are dropped when this many are kept; if all are busy,
    // new keys share one bucket, so that many keys (addresses) cannot grow memory.
    private const int MaxBuckets = 10_000;
    private const string OverflowKey = "\0overflow";

    private readonly Dictionary<string, Bucket> buckets = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Whether to record this refusal of <paramref name="key"/>; if so, how many were suppressed before it.</summary>
    public bool TryAcquire(string key, out int suppressedBefore)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (!buckets.TryGetValue(key, out var bucket))
            {
                if (buckets.Count >= MaxBuckets)
                {
                    DropIdle(now);
                }

                var shared = buckets.Count >= MaxBuckets;
                if (!shared || !buckets.TryGetValue(OverflowKey, out bucket))
                {
                    bucket = new Bucket { Tokens = burst, Since = now };
                    buckets[shared ? OverflowKey : key] = bucket;
                }
            }

            Refill(bucket, now);
            if (bucket.Tokens < 1)
            {
                bucket.Suppressed++;
                suppressedBefore = 0;
                return false;
            }

            bucket.Tokens--;
            suppressedBefore = bucket.Suppressed;
            bucket.Suppressed = 0;
            return true;
        }
    }

    private void Refill(Bucket bucket, DateTimeOffset now)
    {
        bucket.Tokens = Math.Min(burst, bucket.Tokens + (Math.Max(0, (now - bucket.Since).Ticks) / (double)interval.Ticks));
        bucket.Since = now;
    }

    private void DropIdle(DateTimeOffset now)
    {
        foreach (var (key, bucket) in buckets)
        {
            Refill(bucket, now);
            if (bucket.Tokens >= burst && bucket.Suppressed == 0)
            {
                buckets.Remove(key);
            }
        }
    }

    private sealed class Bucket
    {
        public double Tokens { get; set; }

        public DateTimeOffset Since { get; set; }

        public int Suppressed { get; set; }
    }
}
