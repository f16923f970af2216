namespace Egov.Steering.Notifications.Data;

/// <summary>The one row that remembers the last position removed by retention, so numbering never restarts.</summary>
public sealed class LogHorizon
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public long PurgedThrough { get; set; }
}
