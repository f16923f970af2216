using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Messaging.Outbox;

/// <summary>
/// Publishes the outbox of <typeparamref name="TContext"/>: woken by commits (in-process signal, PostgreSQL
/// NOTIFY) and by a slow fallback poll, it publishes the partitions that have due rows and purges old rows. A wake-up
/// from this host's own commits publishes the partitions they wrote; any other pass, and at least one a poll interval,
/// first asks the database which partitions have due rows (other replicas' commits, retries that came due).
/// </summary>
internal sealed partial class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    OutboxPartitionPublisher<TContext> publisher,
    OutboxSignals signals,
    MessagingMetrics metrics,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    private readonly OutboxOptions _options = options.Value;
    private readonly OutboxSignal _signal = signals.For(typeof(TContext));
    private DateTime _nextPendingCount;
    private DateTimeOffset _nextScan;
    private DateTimeOffset? _lockedSince;
    private bool _lockedReported;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var provider = Provider();
        var listener = provider.IsNpgsql ? ListenAsync(provider.ConnectionString, stoppingToken) : Task.CompletedTask;
        var nextPurge = time.GetUtcNow();
        // The first pass, and any after one that left rows behind (a full batch, a locked database, a failure) or
        // after a poll, looks at every partition: no wake-up may name the partitions of those rows.
        var scanAll = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            var moreWaiting = false;
            var locked = false;
            var woken = _signal.TakeWoken();
            try
            {
                moreWaiting = await PublishAsync(scanAll || time.GetUtcNow() >= _nextScan ? null : woken, provider.IsNpgsql, stoppingToken);
                scanAll = moreWaiting;
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
                (locked, scanAll) = (true, true);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(e);
                scanAll = true;
            }

            // After a locked pass the rows it found are still due, and the writer that held the database may commit
            // without a wake-up (no outbox rows of its own): try again shortly, not at the next wake-up or poll.
            if (locked)
            {
                await WaitAsync(_options.LockedRetryDelay, stoppingToken);
            }
            else if (!moreWaiting && !await WaitAsync(_options.PollInterval, stoppingToken))
            {
                scanAll = true;
            }
        }

        await listener.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>
    /// One pass over <paramref name="woken"/>, or over every partition with due rows when null: returns true when rows
    /// were left behind. The partitions this host's commits woke go in one transaction, so rows one commit wrote in
    /// several partitions go out in the order it wrote them; those a look found are spread over up to
    /// <see cref="OutboxOptions.MaxConcurrentPartitions"/> transactions at once (PostgreSQL), a backlog's throughput.
    /// </summary>
    private async Task<bool> PublishAsync(IReadOnlyCollection<int>? woken, bool concurrent, CancellationToken cancellationToken)
    {
        var partitions = woken ?? await DuePartitionsAsync(cancellationToken);
        if (partitions.Count == 0)
        {
            return false;
        }

        var passes = woken is not null || !concurrent
            ? [partitions]
            : partitions.Select((partition, index) => (partition, index))
                .GroupBy(p => p.index % _options.MaxConcurrentPartitions, p => p.partition)
                .Select(group => (IReadOnlyCollection<int>)[.. group])
                .ToList();
        var rowsLeft = await Task.WhenAll(passes.Select(pass => publisher.PublishAsync(pass, cancellationToken)));
        return rowsLeft.Contains(true);
    }

    private async Task<List<int>> DuePartitionsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = time.GetUtcNow().UtcDateTime;
        _nextScan = time.GetUtcNow() + _options.PollInterval;
        var pending = db.Set<OutboxMessage>().Where(m => m.PublishedAt == null);
        var partitions = await pending.Where(m => m.NextAttemptAt <= now).Select(m => m.Partition).Distinct().ToListAsync(cancellationToken);
        if (now >= _nextPendingCount)
        {
            // Counted at most once per poll interval: the gauge is for dashboards, not worth a query per commit.
            var oldest = await pending.MinAsync(m => (DateTime?)m.CreatedAt, cancellationToken);
            metrics.SetPending(typeof(TContext).Name, await pending.LongCountAsync(cancellationToken), oldest, now);
            _nextPendingCount = now + _options.PollInterval;
        }

        return partitions;
    }

    /// <summary>Waits for a wake-up or the timeout: true for a wake-up.</summary>
    private async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        try
        {
            return await _signal.WaitAsync(timeout, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
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
                await OutboxListener.ListenAsync(connectionString, signals.Origin, _signal, stoppingToken);
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
