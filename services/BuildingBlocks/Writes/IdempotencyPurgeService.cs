using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Writes;

/// <summary>Deletes stored answers once they are older than <see cref="IdempotencyOptions.Retention"/>.</summary>
public sealed partial class IdempotencyPurgeService<TContext>(
    IServiceScopeFactory scopeFactory,
    IOptions<IdempotencyOptions> options,
    TimeProvider timeProvider,
    ILogger<IdempotencyPurgeService<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    /// <summary>One purge pass; returns how many records were deleted.</summary>
    public async Task<int> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var cutoff = timeProvider.GetUtcNow().UtcDateTime - options.Value.Retention;
        var purged = await IdempotentWrites.PurgeAsync(db, cutoff, cancellationToken);
        if (purged > 0)
        {
            LogPurged(logger, purged, cutoff);
        }

        return purged;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, timeProvider);
        do
        {
            try
            {
                await PurgeOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be briefly unavailable; the next pass catches up.
                LogPurgeFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} idempotency records older than {Cutoff:o}")]
    private static partial void LogPurged(ILogger logger, int count, DateTime cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging idempotency records failed; retrying at the next interval")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
