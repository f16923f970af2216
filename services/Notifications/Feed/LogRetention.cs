using Egov.Steering.Notifications.Data;
using Egov.Steering.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// Removes events older than <c>Notifications:Feed:Retention</c> (off by default) and records the last removed
/// position, so positions keep counting and older resume positions get OUT_OF_RANGE.
/// </summary>
public sealed partial class LogRetention(
    IServiceScopeFactory scopes, IOptions<NotificationsOptions> options, TimeProvider timeProvider, ILogger<LogRetention> logger)
    : PeriodicBackgroundService(timeProvider)
{
    /// <summary>Purges once; returns the last position now removed (0 when none ever was).</summary>
    public async Task<long> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Feed.Retention is not { } retention)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var cutoff = Time.GetUtcNow().UtcDateTime - retention;
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            await EventLog.LockAppendsAsync(db, token);
            var horizon = await db.LogHorizons.SingleOrDefaultAsync(h => h.Id == LogHorizon.SingletonId, token);
            if (horizon is null)
            {
                horizon = new LogHorizon();
                db.LogHorizons.Add(horizon);
            }

            var through = await db.Events.Where(e => e.AppendedAt < cutoff).MaxAsync(e => (long?)e.Position, token);
            if (through is { } last && last > horizon.PurgedThrough)
            {
                await db.Events.Where(e => e.Position <= last).ExecuteDeleteAsync(token);
                horizon.PurgedThrough = last;
                LogPurged(last);
            }

            await db.SaveChangesAsync(token);
            await transaction.CommitAsync(token);
            return horizon.PurgedThrough;
        }, cancellationToken);
    }

    protected override TimeSpan Interval => options.Value.Feed.PurgeInterval;

    protected override Task RunPassAsync(CancellationToken cancellationToken) => PurgeOnceAsync(cancellationToken);

    protected override void OnPassFailed(Exception exception) => LogPurgeFailed(exception);

    [LoggerMessage(LogLevel.Information, "Retention removed the events up to position {Position}")]
    private partial void LogPurged(long position);

    [LoggerMessage(LogLevel.Warning, "Enforcing the event log's retention failed; will retry")]
    private partial void LogPurgeFailed(Exception exception);
}
