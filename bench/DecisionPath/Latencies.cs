using HdrHistogram;

namespace Egov.Steering.Bench.DecisionPath;

/// <summary>Percentiles of durations, in milliseconds.</summary>
internal sealed class Latencies
{
    private readonly LongHistogram histogram = new(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3);

    public long Count => histogram.TotalCount;

    public void Record(TimeSpan duration) => histogram.RecordValue(Math.Max(0, (long)(duration.Ticks / 10.0)));

    public override string ToString()
    {
        static string Ms(long microseconds) => $"{microseconds / 1000.0,8:F1}";
        return histogram.TotalCount == 0
            ? "     (none)"
            : $"p50 {Ms(histogram.GetValueAtPercentile(50))}  p90 {Ms(histogram.GetValueAtPercentile(90))}  p99 {Ms(histogram.GetValueAtPercentile(99))}  max {Ms(histogram.GetMaxValue())}";
    }
}
