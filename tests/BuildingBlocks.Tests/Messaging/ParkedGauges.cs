using System.Diagnostics.Metrics;
using Egov.Steering.Messaging;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging;

/// <summary>Reads one host's parked-message gauges (meters its <see cref="IMeterFactory"/> made), as a scrape would.</summary>
public sealed class ParkedGauges : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _parked;
    private double _oldestAge;

    public ParkedGauges(IMeterFactory host)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MessagingMetrics.MeterName && instrument.Meter.Scope == host
                && instrument.Name is "steering.inbox.parked" or "steering.inbox.oldest_parked_age")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => _parked = value);
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _oldestAge = value);
        _listener.Start();
    }

    /// <summary>The parked messages and the oldest one's age in seconds, as last counted.</summary>
    public (long Parked, double OldestAgeSeconds) Read()
    {
        _listener.RecordObservableInstruments();
        return (_parked, _oldestAge);
    }

    public void Dispose() => _listener.Dispose();
}
