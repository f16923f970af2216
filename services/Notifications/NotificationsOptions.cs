namespace Egov.Steering.Notifications;

/// <summary>The <c>Notifications</c> configuration section.</summary>
public sealed class NotificationsOptions
{
    public const string SectionName = "Notifications";

    public FeedOptions Feed { get; set; } = new();

    public PublicExchangeOptions PublicExchange { get; set; } = new();

    public WebhookOptions Webhooks { get; set; } = new();
}

public sealed class FeedOptions
{
    /// <summary>How long events are kept; null keeps everything.</summary>
    public TimeSpan? Retention { get; set; }

    /// <summary>How often a quiet WatchEvents stream gets a heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Bytes of live events buffered per stream (at least one event, however large); a client further behind is cut
    /// off with RESOURCE_EXHAUSTED.
    /// </summary>
    public int StreamBufferBytes { get; set; } = 512 * 1024;

    /// <summary>
    /// Bytes of the log a replaying stream reads at once (at least one event); the next page is read only once the
    /// client has taken this one, so a client that stops reading holds no more than this.
    /// </summary>
    public int ReplayPageBytes { get; set; } = 64 * 1024;

    /// <summary>Open streams per caller (token subject within its organisation); more are refused with RESOURCE_EXHAUSTED.</summary>
    public int MaxStreamsPerCaller { get; set; } = 16;

    /// <summary>Open streams per process, all callers together; more are refused with RESOURCE_EXHAUSTED.</summary>
    public int MaxStreams { get; set; } = 2000;

    /// <summary>The retry delay a refused stream is told (google.rpc.RetryInfo).</summary>
    public TimeSpan RefusedStreamRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a cut-off stream whose client reads nothing (its writes held up by flow control) is kept for the
    /// client to read again and receive RESOURCE_EXHAUSTED; then the stream is reset.
    /// </summary>
    public TimeSpan CutOffGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Fallback poll of the log when no wake-up arrives (another replica's append without NOTIFY).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the log's head, the relays' cursors and the webhook queue are read for the metrics.</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often retention is enforced.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}

public sealed class PublicExchangeOptions
{
    /// <summary>Republish the log on the public exchange (needs <c>ConnectionStrings:RabbitMQ</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The durable topic exchange the dashboard binds to.</summary>
    public string Exchange { get; set; } = "egov.steering.events.v1";

    /// <summary>Events published per confirmed batch.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// How long a batch may wait for the broker's confirms; past it the relay opens a new connection and publishes the
    /// batch again (a broker can stop serving a connection's publishes without closing it).
    /// </summary>
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed class WebhookOptions
{
    /// <summary>Attempts before a delivery is marked FAILED.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the second attempt; doubles each attempt up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one POST may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive FAILED deliveries after which the subscription is SUSPENDED.</summary>
    public int SuspendAfterFailedDeliveries { get; set; } = 20;

    /// <summary>Deliveries attempted at once by one replica.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>Fallback poll for due retries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
