namespace Egov.Steering.Messaging.Outbox;

/// <summary>Relay settings, bound from the configuration section <c>Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Rows read per pass.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// Passes run at once over the partitions a look at every partition found (PostgreSQL; SQLite always runs one).
    /// </summary>
    public int MaxConcurrentPartitions { get; set; } = 4;

    /// <summary>Fallback poll for commits whose wake-up was missed (other process without NOTIFY, lost listener).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one publish may wait for the broker's confirm before it counts as failed.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long published outbox rows and handled inbox ids are kept before they are purged.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(5);

    public int PurgeBatchSize { get; set; } = 1000;

    /// <summary>SQLite: how soon the relay tries again after a pass found the database locked by another writer.</summary>
    public TimeSpan LockedRetryDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// SQLite: how long the relay retries quietly (debug log) while the database is locked by another writer before it
    /// reports it, once, as a warning.
    /// </summary>
    public TimeSpan LockedWarningAfter { get; set; } = TimeSpan.FromMinutes(1);
}
