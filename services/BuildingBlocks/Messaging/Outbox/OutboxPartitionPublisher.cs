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
/// Publishes the due rows of a set of partitions while holding their locks, so that relays of several replicas never
/// publish one aggregate at the same time. Each aggregate's rows go out one after another in version order; a failed
/// row stops its aggregate (until its retry time) without holding up the other aggregates. A pass of a few rows, what
/// a commit or two wrote, publishes them all one after another in the order they were written, so the events of one
/// commit reach a queue in that order whatever partitions they fall in; a larger one (a backlog, a burst of commits)
/// publishes its aggregates at the same time.
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
    /// <summary>
    /// Rows a pass publishes in write order at most: one confirm after another costs a millisecond or so each, and a
    /// consumer parks whatever overtakes what it must follow, so beyond a few commits' rows order gives way to speed.
    /// </summary>
    private const int WriteOrderRows = 16;

    // Lock class of pg_try_advisory_xact_lock(class, partition): "obx1" as an int.
    private const int AdvisoryLockClass = 0x6F627831;
    private static readonly ActivitySource Source = new(MessagingMetrics.MeterName);

    // SQLite runs one instance: an in-process lock per database and partition stands in for the advisory lock.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> LocalLocks = new();

    private readonly OutboxOptions _options = options.Value;

    // Rows that failed together (broker down) do not retry in lockstep.
    private readonly Backoff _retryBackoff = new(options.Value.MinRetryDelay, options.Value.MaxRetryDelay);

    /// <summary>
    /// Publishes up to one batch of the rows of those <paramref name="partitions"/> no other relay holds, in one
    /// transaction; returns true when rows were left behind (a full batch, or a publish the broker left unconfirmed).
    /// </summary>
    public async Task<bool> PublishAsync(IReadOnlyCollection<int> partitions, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        // PostgreSQL: the transaction holds the partitions' advisory locks. SQLite (one instance) locks in-process
        // and needs none: an open write transaction there would only block the service's own writes.
        var isNpgsql = db.Database.IsNpgsql();
        await using var transaction = isNpgsql ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        using var localLocks = isNpgsql ? null : TryLocalLocks(db, partitions);
        // Partitions other relays are publishing are left to them: they see our rows too.
        var rows = localLocks is null
            ? await LockDueRowsAsync(db, partitions, cancellationToken)
            : localLocks.Partitions.Count == 0 ? [] : await DueRowsAsync(db, localLocks.Partitions, cancellationToken);
        if (rows.Count == 0)
        {
            return false;
        }

        var chains = rows.Count <= WriteOrderRows ? [InWriteOrder(rows)] : AggregateChains(rows).ToList();
        var outcomes = await Task.WhenAll(chains.Select(chain => PublishOneAfterAnotherAsync(chain, cancellationToken)));

        // Marked even while shutting down, so what the broker confirmed is not sent again after a restart.
        // A crash before this commit does resend the batch: delivery is at least once, the inbox de-duplicates.
        await MarkAsync(db, [.. outcomes.SelectMany(outcome => outcome.Confirmed)], [.. outcomes.SelectMany(outcome => outcome.Failed)]);
        if (transaction is not null)
        {
            await transaction.CommitAsync(CancellationToken.None);
        }

        // After the commit: a bus restart must not hold the partitions' locks and transaction.
        var unconfirmed = outcomes.Any(outcome => outcome.Unconfirmed);
        if (unconfirmed)
        {
            await stallRecovery.OnUnconfirmedAsync(cancellationToken);
        }

        return unconfirmed || rows.Count >= _options.BatchSize;
    }

    /// <summary>
    /// Saves the pass's marks: the confirmed rows in one statement, each failed row's attempt in one of its own (rare).
    /// On PostgreSQL the pass holds its rows, so an operator removing one waits for the commit; on SQLite a row deleted
    /// meanwhile is simply not updated.
    /// </summary>
    private async Task MarkAsync(TContext db, List<long> confirmed, List<OutboxMessage> failed)
    {
        var outbox = db.Set<OutboxMessage>();
        if (confirmed.Count > 0)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await outbox.Where(m => confirmed.Contains(m.Sequence))
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.PublishedAt, now).SetProperty(m => m.Attempts, m => m.Attempts + 1), CancellationToken.None);
        }

        foreach (var row in failed)
        {
            await outbox.Where(m => m.Sequence == row.Sequence)
                .ExecuteUpdateAsync(
                    set => set.SetProperty(m => m.Attempts, row.Attempts).SetProperty(m => m.NextAttemptAt, row.NextAttemptAt).SetProperty(m => m.LastError, row.LastError),
                    CancellationToken.None);
        }
    }

    /// <summary>
    /// Unpublished rows of the partitions in insert order, leaving out every row at or behind a row of the same
    /// aggregate that waits for its retry time (so a later version never overtakes a failed earlier one). Read without
    /// tracking: the marks are written by <see cref="MarkAsync"/>. SQLite: the caller holds the partitions in-process.
    /// </summary>
    private Task<List<OutboxMessage>> DueRowsAsync(TContext db, IReadOnlyList<int> partitions, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var outbox = db.Set<OutboxMessage>();
        return outbox
            .AsNoTracking()
            .Where(m => partitions.Contains(m.Partition) && m.PublishedAt == null)
            .Where(m => !outbox.Any(b => b.Aggregate == m.Aggregate && b.PublishedAt == null && b.NextAttemptAt > now && b.Sequence <= m.Sequence))
            .OrderBy(m => m.Sequence)
            .Take(_options.BatchSize)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// PostgreSQL: <see cref="DueRowsAsync"/> of those <paramref name="partitions"/> no other relay holds, taking their
    /// advisory locks, in one statement: one round trip before the first publish. Each partition's lock
    /// is tried once (the materialized CTE), so a partition's rows are read all or none. The statement's snapshot is
    /// taken before the locks: a relay that held a partition and committed its marks in between left its rows changed
    /// after that snapshot, and <c>FOR UPDATE</c> reads a changed row at its latest committed version and drops it once
    /// published, so nothing is published twice. Each lock is released by the transaction's commit or rollback, or when
    /// the connection dies.
    /// </summary>
    private Task<List<OutboxMessage>> LockDueRowsAsync(TContext db, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken)
    {
        var wanted = partitions.Order().ToArray();
        var now = time.GetUtcNow().UtcDateTime;
        return db.Set<OutboxMessage>()
            .FromSql($"""
                WITH locked AS MATERIALIZED (SELECT p FROM unnest({wanted}) AS p WHERE pg_try_advisory_xact_lock({AdvisoryLockClass}, p))
                SELECT o.* FROM outbox_messages AS o
                WHERE o.partition IN (SELECT p FROM locked) AND o.published_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM outbox_messages AS b WHERE b.aggregate = o.aggregate AND b.published_at IS NULL
                                  AND b.next_attempt_at > {now} AND b.sequence <= o.sequence)
                ORDER BY o.sequence
                LIMIT {_options.BatchSize}
                FOR UPDATE OF o
                """)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
    }

    /// <summary>Each aggregate's rows in the order they must go out: by version, then insert order.</summary>
    private static IEnumerable<List<OutboxMessage>> AggregateChains(List<OutboxMessage> rows) =>
        rows.GroupBy(r => r.Aggregate, StringComparer.Ordinal).Select(aggregate => aggregate.OrderBy(r => r.AggregateVersion).ThenBy(r => r.Sequence).ToList());

    /// <summary>The rows in insert order, each aggregate's chain taking its aggregate's places.</summary>
    private static List<OutboxMessage> InWriteOrder(List<OutboxMessage> rows)
    {
        var chains = AggregateChains(rows).ToDictionary(chain => chain[0].Aggregate, chain => new Queue<OutboxMessage>(chain), StringComparer.Ordinal);
        return [.. rows.Select(r => chains[r.Aggregate].Dequeue())];
    }

    /// <summary>
    /// Publishes the rows one at a time until a publish goes unconfirmed (then the broker confirms none: the rest wait
    /// for the next pass). A row that fails holds back the later rows of its aggregate only.
    /// </summary>
    private async Task<ChainOutcome> PublishOneAfterAnotherAsync(List<OutboxMessage> rows, CancellationToken cancellationToken)
    {
        var outcome = new ChainOutcome();
        var heldBack = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => !heldBack.Contains(r.Aggregate)))
        {
            try
            {
                await PublishRowAsync(row, cancellationToken);
                outcome.Confirmed.Add(row.Sequence);
                metrics.Published.Add(1);
                metrics.PublishLatency.Record((time.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)).TotalMilliseconds);
                stallRecovery.OnConfirmed();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return outcome; // shutting down: this row and the rest stay pending, the ones before are marked
            }
            catch (Exception e)
            {
                row.Attempts++;
                row.NextAttemptAt = time.GetUtcNow().UtcDateTime + _retryBackoff.Delay(row.Attempts);
                row.LastError = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
                outcome.Failed.Add(row);
                metrics.PublishFailures.Add(1);
                LogPublishFailed(e, row.MessageId, row.Aggregate, row.AggregateVersion, row.Attempts, row.NextAttemptAt);
                if (e is TimeoutException)
                {
                    outcome.Unconfirmed = true;
                    return outcome;
                }

                heldBack.Add(row.Aggregate);
            }
        }

        return outcome;
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

    private static LocalPartitionLocks TryLocalLocks(TContext db, IReadOnlyCollection<int> partitions)
    {
        var connection = db.Database.GetConnectionString();
        var taken = partitions
            .Select(partition => (Partition: partition, Lock: LocalLocks.GetOrAdd($"{connection}#{partition}", _ => new SemaphoreSlim(1, 1))))
            .Where(local => local.Lock.Wait(0))
            .ToList();
        return new LocalPartitionLocks([.. taken.Select(local => local.Partition)], [.. taken.Select(local => local.Lock)]);
    }

    [LoggerMessage(LogLevel.Warning, "Publishing outbox message {MessageId} ({Aggregate} v{Version}) failed on attempt {Attempts}; retrying at {NextAttemptAt:o}")]
    private partial void LogPublishFailed(Exception exception, Guid messageId, string aggregate, long version, int attempts, DateTime nextAttemptAt);

    /// <summary>The partitions a pass holds in-process (SQLite); disposing releases them.</summary>
    private sealed record LocalPartitionLocks(IReadOnlyList<int> Partitions, IReadOnlyList<SemaphoreSlim> Locks) : IDisposable
    {
        public void Dispose()
        {
            foreach (var local in Locks)
            {
                local.Release();
            }
        }
    }

    /// <summary>What publishing one run of rows came to: the rows the broker confirmed, those that failed, and whether one went unconfirmed.</summary>
    private sealed class ChainOutcome
    {
        public List<long> Confirmed { get; } = [];

        public List<OutboxMessage> Failed { get; } = [];

        public bool Unconfirmed { get; set; }
    }
}
