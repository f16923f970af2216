using System.Collections.Concurrent;
using System.Diagnostics;
using Egov.Steering.Events.V1;
using HdrHistogram;
using MassTransit;

namespace Egov.Steering.OutboxLatency;

/// <summary>Commit and arrival times of each event id, on one clock (writer and consumer share the process).</summary>
public sealed class LatencyProbe
{
    private readonly ConcurrentDictionary<Guid, long> _committed = new();
    private readonly ConcurrentDictionary<Guid, long> _received = new();

    public void Committed(Guid id) => _committed[id] = Stopwatch.GetTimestamp();

    public void Arrived(Guid id) => _received.TryAdd(id, Stopwatch.GetTimestamp());

    public bool HasAll(IEnumerable<Guid> ids) => ids.All(_received.ContainsKey);

    /// <summary>Prints the percentiles of commit-to-consumer latency and the throughput of one phase; returns p50 and p99 (ms).</summary>
    public (double P50, double P99) Report(string phase, IReadOnlyCollection<Guid> ids)
    {
        var histogram = new LongHistogram(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3);
        foreach (var id in ids)
        {
            // An arrival can be stamped a hair before the writer stamps its commit: count it as zero.
            histogram.RecordValue(Math.Max(0, Microseconds(_received[id] - _committed[id])));
        }

        var elapsed = Stopwatch.GetElapsedTime(ids.Min(id => _committed[id]), ids.Max(id => _received[id]));
        static string Ms(long microseconds) => $"{microseconds / 1000.0,8:F2}";
        Console.WriteLine(
            $"{phase,-34} {ids.Count,6} events {ids.Count / elapsed.TotalSeconds,8:F0}/s   ms: p50 {Ms(histogram.GetValueAtPercentile(50))}" +
            $"  p90 {Ms(histogram.GetValueAtPercentile(90))}  p99 {Ms(histogram.GetValueAtPercentile(99))}" +
            $"  p99.9 {Ms(histogram.GetValueAtPercentile(99.9))}  max {Ms(histogram.GetMaxValue())}");
        return (histogram.GetValueAtPercentile(50) / 1000.0, histogram.GetValueAtPercentile(99) / 1000.0);
    }

    private static long Microseconds(long stopwatchTicks) => stopwatchTicks * 1_000_000 / Stopwatch.Frequency;
}

public sealed class LatencyConsumer(LatencyProbe probe) : IConsumer<EventEnvelope>
{
    public Task Consume(ConsumeContext<EventEnvelope> context)
    {
        probe.Arrived(context.MessageId!.Value);
        return Task.CompletedTask;
    }
}
