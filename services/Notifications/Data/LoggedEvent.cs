namespace Egov.Steering.Notifications.Data;

/// <summary>One event in the log: the envelope as received, its position and the attributes streams filter on.</summary>
public sealed class LoggedEvent
{
    /// <summary>1, 2, 3, ... without gaps, in commit order (see <see cref="Feed.EventLog"/>).</summary>
    public long Position { get; set; }

    public required string EventId { get; set; }

    public required string Type { get; set; }

    public required string Aggregate { get; set; }

    public long AggregateVersion { get; set; }

    public required string Committee { get; set; }

    public int CommitteeLevel { get; set; }

    public required string Jurisdiction { get; set; }

    /// <summary>When the emitting service committed the change.</summary>
    public DateTime EventTime { get; set; }

    /// <summary>When the log received it (retention counts from here).</summary>
    public DateTime AppendedAt { get; set; }

    /// <summary>The EventEnvelope's protobuf encoding, without a position.</summary>
    public required byte[] Envelope { get; set; }
}
