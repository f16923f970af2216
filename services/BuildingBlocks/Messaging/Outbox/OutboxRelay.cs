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
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private readonly OutboxOptions _options = options.Value;
    private DateTime _nextPendingCount;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var provider = Provider();
        var listener = provider.IsNpgsql ? ListenAsync(provider.ConnectionString, stoppingToken) : Task.CompletedTask;
        var nextPurge = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var moreWaiting = false;
            try
            {
                moreWaiting = await PublishDuePartitionsAsync(provider.IsNpgsql, stoppingToken);
                if (time.GetUtcNow() >= nextPurge)
                {
                    await PurgeAsync(stoppingToken);
                    nextPurge = time.GetUtcNow() + _options.PurgeInterval;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(e);
            }

            if (!moreWaiting)
            {
                await signal.WaitAsync(_options.PollInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
                MessagingMetrics.SetPending(typeof(TContext).Name, await pending.LongCountAsync(cancellationToken));
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
            MessagingMetrics.Purged.Add(purged);
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

    private (bool IsNpgsql, string ConnectionString) Provider()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        return (db.Database.IsNpgsql(), db.Database.GetConnectionString() ?? "");
    }

    [LoggerMessage(LogLevel.Error, "Outbox relay pass failed; retrying on the next wake-up")]
    private partial void LogPassFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Outbox NOTIFY listener lost its connection; the fallback poll covers until it reconnects")]
    private partial void LogListenerLost(Exception exception);

    [LoggerMessage(LogLevel.Information, "Purged {Count} outbox rows and inbox ids older than {Cutoff:o}")]
    private partial void LogPurged(int count, DateTime cutoff);
}
