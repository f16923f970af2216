using Egov.Steering.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Writes;

/// <summary>Deletes stored answers once they are older than <see cref="IdempotencyOptions.Retention"/>.</summary>
public sealed partial class IdempotencyPurgeService<TContext>(
    IServiceScopeFactory scopeFactory,
    IOptions<IdempotencyOptions> options,
    TimeProvider timeProvider,
    ILogger<IdempotencyPurgeService<TContext>> logger) : PeriodicBackgroundService(timeProvider)
    where TContext : DbContext
{
    /// <summary>One purge pass; returns how many records were deleted.</summary>
    public async Task<int> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var cutoff = Time.GetUtcNow().UtcDateTime - options.Value.Retention;
        var purged = await IdempotentWrites.PurgeAsync(db, cutoff, cancellationToken);
        if (purged > 0)
        {
            LogPurged(logger, purged, cutoff);
        }

        return purged;
    }

    protected override TimeSpan Interval => options.Value.PurgeInterval;

    protected override Task RunPassAsync(CancellationToken cancellationToken) => PurgeOnceAsync(cancellationToken);

    // The database may be briefly unavailable; the next pass catches up.
    protected override void OnPassFailed(Exception exception) => LogPurgeFailed(logger, exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} idempotency records older than {Cutoff:o}")]
    private static partial void LogPurged(ILogger logger, int count, DateTime cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging idempotency records failed; retrying at the next interval")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
