using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// Reads the log's head, each relay cursor and the webhook queue every <see cref="FeedOptions.MetricsInterval"/>
/// for <see cref="NotificationsTelemetry"/>: a scrape never waits for the database, and a few queries per interval cost
/// nothing next to the feed.
/// </summary>
internal sealed partial class FeedMetricsSampler(
    IServiceScopeFactory scopes,
    IOptions<NotificationsOptions> options,
    NotificationsTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<FeedMetricsSampler> logger)
    : PeriodicBackgroundService(timeProvider)
{
    protected override TimeSpan Interval => options.Value.Feed.MetricsInterval;

    protected override async Task RunPassAsync(CancellationToken cancellationToken) => telemetry.Record(await SampleAsync(cancellationToken));

    protected override void OnPassFailed(Exception exception) => LogSampleFailed(exception);

    private async Task<FeedSample> SampleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var head = await EventLog.LastPositionAsync(db, cancellationToken);
        var cursors = await db.FeedCursors.AsNoTracking().ToDictionaryAsync(c => c.Name, c => c.Position, cancellationToken);
        // With no subscription the webhook cursor stays behind (nothing is queued) and nothing waits for it.
        if (cursors.ContainsKey(FeedCursor.Webhooks) && !await db.WebhookSubscriptions.AnyAsync(cancellationToken))
        {
            cursors[FeedCursor.Webhooks] = head;
        }

        var pending = db.WebhookDeliveries.AsNoTracking().Where(d => d.State == (int)WebhookDeliveryState.Pending);
        var pendingCount = await pending.LongCountAsync(cancellationToken);
        var oldest = await pending.MinAsync(d => (DateTime?)d.CreatedAt, cancellationToken);
        var now = Time.GetUtcNow().UtcDateTime;
        return new FeedSample(
            head,
            // A relay's row exists once it ran (the public exchange's not in the embedded host, which has no broker).
            cursors.ToDictionary(cursor => cursor.Key, cursor => head - cursor.Value),
            pendingCount,
            oldest is { } created ? Math.Max(0, (now - DateTime.SpecifyKind(created, DateTimeKind.Utc)).TotalSeconds) : 0);
    }

    [LoggerMessage(LogLevel.Warning, "Reading the feed's metrics failed; retrying at the next interval")]
    private partial void LogSampleFailed(Exception exception);
}
