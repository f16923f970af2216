using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Messaging.Outbox;

/// <summary>
/// Publishes the outbox of <typeparamref name="TContext"/>: woken by commits (in-process signal, PostgreSQL
/// NOTIFY) and by a slow fallback poll, it publishes every partition that has due rows and purges old rows.
/// </summary>
internal sealed partial class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    OutboxPartitionPublisher<TContext> publisher,
    OutboxSignal signal,
    MessagingMetrics metrics,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    private readonly OutboxOptions _options = options.Value;
    private DateTime _nextPendingCount;
    private DateTimeOffset? _lockedSince;
    private bool _lockedReported;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var provider = Provider();
        var listener = provider.IsNpgsql ? ListenAsync(provider.ConnectionString, stoppingToken) : Task.CompletedTask;
        var nextPurge = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var moreWaiting = false;
            var locked = false;
            try
            {
                moreWaiting = await PublishDuePartitionsAsync(provider.IsNpgsql, stoppingToken);
                if (time.GetUtcNow() >= nextPurge)
                {
                    await PurgeAsync(stoppingToken);
                    nextPurge = time.GetUtcNow() + _options.PurgeInterval;
                }

                EndLockedStreak();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && IsDatabaseLocked(e))
            {
                OnDatabaseLocked(e);
                locked = true;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(e);
            }

            // After a locked pass the rows it found are still due, and the writer that held the database may commit
            // without a wake-up (no outbox rows of its own): try again shortly, not at the next wake-up or poll.
            if (!moreWaiting)
            {
                await signal.WaitAsync(locked ? _options.LockedRetryDelay : _options.PollInterval, stoppingToken)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        await listener.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>One pass: returns true when a partition had more rows than one batch.</summary>
    private async Task<bool> PublishDuePartitionsAsync(bool concurrent, CancellationToken cancellationToken)
    {
        List<int> partitions;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            var now = time.GetUtcNow().UtcDateTime;
            var pending = db.Set<OutboxMessage>().Where(m => m.PublishedAt == null);
            partitions = await pending.Where(m => m.NextAttemptAt <= now).Select(m => m.Partition).Distinct().ToListAsync(cancellationToken);
            if (now >= _nextPendingCount)
            {
                // Counted at most once per poll interval: the gauge is for dashboards, not worth a query per commit.
                var oldest = await pending.MinAsync(m => (DateTime?)m.CreatedAt, cancellationToken);
                metrics.SetPending(typeof(TContext).Name, await pending.LongCountAsync(cancellationToken), oldest, now);
                _nextPendingCount = now + _options.PollInterval;
            }
        }

        var fullBatch = false;
        await Parallel.ForEachAsync(
            partitions,
            new ParallelOptions { MaxDegreeOfParallelism = concurrent ? _options.MaxConcurrentPartitions : 1, CancellationToken = cancellationToken },
            async (partition, ct) =>
            {
                if (await publisher.PublishAsync(partition, ct) >= _options.BatchSize)
                {
                    fullBatch = true;
                }
            });
        return fullBatch;
    }

    private async Task PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var cutoff = time.GetUtcNow().UtcDateTime - _options.Retention;
        var purged = await OutboxPurge.DeleteOlderThanAsync(db, cutoff, _options.PurgeBatchSize, cancellationToken);
        if (purged > 0)
        {
            metrics.Purged.Add(purged);
            LogPurged(purged, cutoff);
        }
    }

    /// <summary>Wakes this relay on commits made by other replicas; reconnects after a lost connection.</summary>
    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await OutboxListener.ListenAsync(connectionString, signal, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenerLost(e);
                await Task.Delay(_options.PollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>SQLite's "database is locked": another writer holds the file; a pass shortly after tries again.</summary>
    private static bool IsDatabaseLocked(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked })
            {
                return true;
            }
        }

        return false;
    }

    private void OnDatabaseLocked(Exception exception)
    {
        var now = time.GetUtcNow();
        _lockedSince ??= now;
        LogDatabaseLocked(exception.Message);
        if (!_lockedReported && now - _lockedSince >= _options.LockedWarningAfter)
        {
            _lockedReported = true;
            LogStillLocked(_lockedSince.Value);
        }
    }

    private void EndLockedStreak()
    {
        if (_lockedReported)
        {
            LogLockReleased(_lockedSince!.Value);
        }

        (_lockedSince, _lockedReported) = (null, false);
    }

    private (bool IsNpgsql, string ConnectionString) Provider()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        return (db.Database.IsNpgsql(), db.Database.GetConnectionString() ?? "");
    }

    [LoggerMessage(LogLevel.Error, "Outbox relay pass failed; retrying on the next wake-up")]
    private partial void LogPassFailed(Exception exception);

    [LoggerMessage(LogLevel.Debug, "Outbox relay pass found the database locked ({Reason}); retrying on the next wake-up")]
    private partial void LogDatabaseLocked(string reason);

    [LoggerMessage(LogLevel.Warning, "The outbox relay has found the database locked since {Since:o}; events wait until it is free")]
    private partial void LogStillLocked(DateTimeOffset since);

    [LoggerMessage(LogLevel.Information, "The database is free again (locked since {Since:o}); the outbox relay publishes")]
    private partial void LogLockReleased(DateTimeOffset since);

    [LoggerMessage(LogLevel.Warning, "Outbox NOTIFY listener lost its connection; the fallback poll covers until it reconnects")]
    private partial void LogListenerLost(Exception exception);

    [LoggerMessage(LogLevel.Information, "Purged {Count} outbox rows and inbox ids older than {Cutoff:o}")]
    private partial void LogPurged(int count, DateTime cutoff);
}
