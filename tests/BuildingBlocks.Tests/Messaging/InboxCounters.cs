using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Egov.Steering.Messaging;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging;

/// <summary>Reads the inbox metrics of one consumer, as an operator's dashboard would.</summary>
public sealed class InboxCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new();

    public InboxCounters(string consumer)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MessagingMetrics.MeterName && instrument.Name.StartsWith("steering.inbox.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "consumer" && Equals(tag.Value, consumer))
                {
                    _totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
                }
            }
        });
        _listener.Start();
    }

    public long Duplicates => _totals.GetValueOrDefault("steering.inbox.duplicates");

    public long Gaps => _totals.GetValueOrDefault("steering.inbox.gaps");

    public void Dispose() => _listener.Dispose();
}
