using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Egov.Steering.Messaging.Serialization;
using Egov.Steering.Messaging.Tracing;
using Egov.Steering.Retries;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Messaging.Outbox;

/// <summary>
/// Publishes one partition's due rows while holding that partition's lock, so that relays of several replicas
/// never publish one aggregate at the same time. Within an aggregate, rows go out one after another in version
/// order and a failed row stops its aggregate (until its retry time) without holding up the other aggregates.
/// </summary>
internal sealed partial class OutboxPartitionPublisher<TContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    ProtobufMessageTypes messageTypes,
    MessagingMetrics metrics,
    PublishStallRecovery stallRecovery,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxPartitionPublisher<TContext>> logger)
    where TContext : DbContext
{
    // Lock class of pg_try_advisory_xact_lock(class, partition): "obx1" as an int.
    private const int AdvisoryLockClass = 0x6F627831;
    private static readonly ActivitySource Source = new(MessagingMetrics.MeterName);

    // SQLite runs one instance: an in-process lock per database stands in for the advisory lock.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> LocalLocks = new();

    private readonly OutboxOptions _options = options.Value;

    // Rows that failed together (broker down) do not retry in lockstep.
    private readonly Backoff _retryBackoff = new(options.Value.MinRetryDelay, options.Value.MaxRetryDelay);

    /// <summary>Publishes up to one batch of <paramref name="partition"/>; returns how many rows it read.</summary>
    public async Task<int> PublishAsync(int partition, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        // PostgreSQL: the transaction holds the partition's advisory lock. SQLite (one instance) locks in-process
        // and needs none: an open write transaction there would only block the service's own writes.
        var isNpgsql = db.Database.IsNpgsql();
        await using var transaction = isNpgsql ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        using var partitionLock = isNpgsql ? await TryAdvisoryLockAsync(db, partition, cancellationToken) : await TryLocalLockAsync(db, partition);
        if (partitionLock is null)
        {
            return 0; // another relay is publishing this partition; it sees our rows too
        }

        var rows = await DueRowsAsync(db, partition, cancellationToken);
        if (rows.Count == 0)
        {
            return 0;
        }

        var unconfirmed = await Task.WhenAll(rows
            .GroupBy(r => r.Aggregate)
            .Select(aggregate => PublishInOrderAsync(aggregate.OrderBy(r => r.AggregateVersion).ThenBy(r => r.Sequence), cancellationToken)));

        // Marked even while shutting down, so what the broker confirmed is not sent again after a restart.
        // A crash before this commit does resend the batch: delivery is at least once, the inbox de-duplicates.
        await SaveMarksAsync(db);
        if (transaction is not null)
        {
            await transaction.CommitAsync(CancellationToken.None);
        }

        // After the commit: a bus restart must not hold the partition's lock and transaction.
        if (unconfirmed.Contains(true))
        {
            await stallRecovery.OnUnconfirmedAsync(cancellationToken);
        }

        return rows.Count;
    }

    /// <summary>
    /// Saves the batch's marks. A row deleted meanwhile (an operator removing a row that cannot be published) is left
    /// out instead of failing the save, which would undo the marks of the rows the broker confirmed and send them again.
    /// </summary>
    private static async Task SaveMarksAsync(TContext db)
    {
        while (true)
        {
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
                return;
            }
            catch (DbUpdateConcurrencyException e) when (e.Entries.Count > 0)
            {
                foreach (var gone in e.Entries)
                {
                    gone.State = EntityState.Detached;
                }
            }
        }
    }

    /// <summary>
    /// Unpublished rows of the partition in insert order, leaving out every row at or behind a row of the same
    /// aggregate that waits for its retry time (so a later version never overtakes a failed earlier one).
    /// </summary>
    private Task<List<OutboxMessage>> DueRowsAsync(TContext db, int partition, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var outbox = db.Set<OutboxMessage>();
        return outbox
            .Where(m => m.Partition == partition && m.PublishedAt == null)
            .Where(m => !outbox.Any(b => b.Aggregate == m.Aggregate && b.PublishedAt == null && b.NextAttemptAt > now && b.Sequence <= m.Sequence))
            .OrderBy(m => m.Sequence)
            .Take(_options.BatchSize)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Publishes one aggregate's rows in order until one fails; returns whether that one went unconfirmed.</summary>
    private async Task<bool> PublishInOrderAsync(IEnumerable<OutboxMessage> aggregateRows, CancellationToken cancellationToken)
    {
        foreach (var row in aggregateRows)
        {
            try
            {
                await PublishRowAsync(row, cancellationToken);
                var now = time.GetUtcNow().UtcDateTime;
                row.PublishedAt = now;
                row.Attempts++;
                metrics.Published.Add(1);
                metrics.PublishLatency.Record((now - DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)).TotalMilliseconds);
                stallRecovery.OnConfirmed();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false; // shutting down: this row stays pending, the ones before it are marked
            }
            catch (Exception e)
            {
                row.Attempts++;
                row.NextAttemptAt = time.GetUtcNow().UtcDateTime + _retryBackoff.Delay(row.Attempts);
                row.LastError = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
                metrics.PublishFailures.Add(1);
                LogPublishFailed(e, row.MessageId, row.Aggregate, row.AggregateVersion, row.Attempts, row.NextAttemptAt);
                return e is TimeoutException; // the rest of this aggregate waits for this row
            }
        }

        return false;
    }

    private async Task PublishRowAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        if (!messageTypes.TryGetByProtoName(row.MessageType, out var descriptor))
        {
            throw new InvalidOperationException($"message type '{row.MessageType}' is not registered with {nameof(ProtobufMessageTypes)}");
        }

        var message = descriptor.Parser.ParseFrom(row.Body);
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(row.Headers) ?? [];

        // Continue the trace of the request that wrote the row, so the consumer's span joins it; the serializer
        // writes the current trace, so the stored one is not copied.
        using var activity = TraceContext.StartActivity(
            Source,
            "outbox publish",
            ActivityKind.Producer,
            headers.GetValueOrDefault(ProtobufMessageSerializer.TraceParentHeader),
            headers.GetValueOrDefault(ProtobufMessageSerializer.TraceStateHeader));

        // With publisher confirms on, Publish completes only once the broker has taken the message.
        await PublisherConfirms.WithinAsync(
            _options.PublishTimeout,
            token => bus.Publish(message, descriptor.ClrType, Pipe.Execute<PublishContext>(context =>
            {
                context.MessageId = row.MessageId;
                foreach (var (name, value) in headers.Where(h => h.Key is not (ProtobufMessageSerializer.TraceParentHeader or ProtobufMessageSerializer.TraceStateHeader)))
                {
                    context.Headers.Set(name, value);
                }
            }), token),
            cancellationToken);
    }

    private static async Task<IDisposable?> TryAdvisoryLockAsync(TContext db, int partition, CancellationToken cancellationToken)
    {
        // Released by the transaction's commit or rollback, or when the connection dies.
        var locked = await db.Database
            .SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({AdvisoryLockClass}, {partition}) AS \"Value\"")
            .ToListAsync(cancellationToken);
        return locked[0] ? NoRelease.Instance : null;
    }

    private static async Task<IDisposable?> TryLocalLockAsync(TContext db, int partition)
    {
        var local = LocalLocks.GetOrAdd($"{db.Database.GetConnectionString()}#{partition}", _ => new SemaphoreSlim(1, 1));
        return await local.WaitAsync(0) ? new Release(local) : null;
    }

    [LoggerMessage(LogLevel.Warning, "Publishing outbox message {MessageId} ({Aggregate} v{Version}) failed on attempt {Attempts}; retrying at {NextAttemptAt:o}")]
    private partial void LogPublishFailed(Exception exception, Guid messageId, string aggregate, long version, int attempts, DateTime nextAttemptAt);

    private sealed class NoRelease : IDisposable
    {
        public static readonly NoRelease Instance = new();

        public void Dispose()
        {
        }
    }

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }
}
