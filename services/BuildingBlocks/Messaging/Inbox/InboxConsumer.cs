using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.Messaging.Inbox;

/// <summary>
/// A consumer that handles each message id once: the id is recorded in the consumer's own database transaction,
/// together with whatever the handler changes (including outbox rows it adds), so a redelivery after a crash or a
/// duplicate publish is acknowledged without running the handler again. A consumer that overrides
/// <see cref="OrderOf"/> also handles each aggregate's versions in order: an old version is a duplicate, and a
/// version that arrives before its predecessor is retried (<see cref="InboxGapException"/>) until the gap fills.
/// A message that belongs to several ordered streams at once overrides <see cref="OrderingsOf"/> instead: it is
/// handled only once it is next in every one of them; one that must follow other aggregates' versions without being
/// part of them overrides <see cref="PrerequisitesOf"/>. Ordered consumers need a concurrent message limit above one
/// (or several replicas), or the retried message blocks its predecessor.
/// </summary>
public abstract partial class InboxConsumer<TContext, TMessage>(TContext db, MessagingMetrics metrics, ILogger logger) : IConsumer<TMessage>
    where TContext : DbContext
    where TMessage : class
{
    /// <summary>The name the inbox records ids under; keep it stable across renames of the class.</summary>
    protected virtual string ConsumerName => GetType().Name;

    protected TContext Db => db;

    /// <summary>The aggregate and version of a message, for consumers that need each aggregate in order.</summary>
    protected virtual InboxOrdering? OrderOf(TMessage message) => null;

    /// <summary>Every stream a message is ordered in, with its version there; by default <see cref="OrderOf"/>'s one.</summary>
    protected virtual IReadOnlyList<InboxOrdering> OrderingsOf(TMessage message) => OrderOf(message) is { } order ? [order] : [];

    /// <summary>
    /// Versions of other aggregates that must have been handled before the message is (e.g. an outcome after every
    /// event it caused): until then it is retried as a gap is. It advances none of them.
    /// </summary>
    protected virtual IReadOnlyList<InboxOrdering> PrerequisitesOf(TMessage message) => [];

    /// <summary>Handles the message inside the inbox transaction; changes are saved and committed afterwards.</summary>
    protected abstract Task HandleAsync(ConsumeContext<TMessage> context);

    /// <summary>
    /// Runs once the handling has committed: what must count only what happened (a transaction retried after a
    /// transient failure runs <see cref="HandleAsync"/> again).
    /// </summary>
    protected virtual void OnCommitted()
    {
    }

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException($"{ConsumerName}: message without a MessageId");
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async cancellationToken =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (!await TryRecordAsync(messageId, cancellationToken) || !await TryAdvanceAsync(context.Message, cancellationToken))
            {
                metrics.InboxDuplicates.Add(1, new KeyValuePair<string, object?>("consumer", ConsumerName));
                LogDuplicate(ConsumerName, messageId);
                return;
            }

            await HandleAsync(context);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            OnCommitted();
            metrics.InboxHandled.Add(1, new KeyValuePair<string, object?>("consumer", ConsumerName));
        }, context.CancellationToken);
    }

    /// <summary>
    /// Records the id in one statement, which inserts nothing for an id handled before, nor for a copy being handled at
    /// this very moment (the insert waits for that transaction and finds the key once it commits).
    /// </summary>
    private async Task<bool> TryRecordAsync(Guid messageId, CancellationToken cancellationToken)
    {
        var inbox = db.Model.FindEntityType(typeof(InboxMessage))!;
        var table = StoreObjectIdentifier.Table(inbox.GetTableName()!, inbox.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        string Column(string property) => sql.DelimitIdentifier(inbox.FindProperty(property)!.GetColumnName(table)!);

        // Names from the model, values as parameters. ON CONFLICT DO NOTHING runs on PostgreSQL and SQLite alike, and
        // unlike a failed insert it does not abort the transaction.
        var insert = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} " +
            $"({Column(nameof(InboxMessage.Consumer))}, {Column(nameof(InboxMessage.MessageId))}, {Column(nameof(InboxMessage.HandledAt))}) " +
            "VALUES ({0}, {1}, {2}) ON CONFLICT DO NOTHING";
        var inserted = await db.Database.ExecuteSqlRawAsync(insert, [ConsumerName, messageId, DateTime.UtcNow], cancellationToken);
        return inserted == 1;
    }

    private async Task<bool> TryAdvanceAsync(TMessage message, CancellationToken cancellationToken)
    {
        var orders = OrderingsOf(message);
        var prerequisites = PrerequisitesOf(message);
        if (orders.Count == 0 && prerequisites.Count == 0)
        {
            return true;
        }

        var aggregates = orders.Concat(prerequisites).Select(o => o.Aggregate).Distinct().ToList();
        var positions = await db.Set<InboxPosition>()
            .Where(p => p.Consumer == ConsumerName && aggregates.Contains(p.Aggregate))
            .ToDictionaryAsync(p => p.Aggregate, StringComparer.Ordinal, cancellationToken);
        long Handled(InboxOrdering order) => positions.GetValueOrDefault(order.Aggregate)?.Version ?? 0;

        // A version belongs to one message only, so one position already past it means this message was handled.
        if (orders.Any(order => order.Version <= Handled(order)))
        {
            return false;
        }

        if (orders.FirstOrDefault(order => order.Version > Handled(order) + 1) is { } gap)
        {
            metrics.InboxGaps.Add(1, new KeyValuePair<string, object?>("consumer", ConsumerName));
            LogGap(ConsumerName, gap.Aggregate, Handled(gap) + 1, gap.Version);
            throw new InboxGapException(ConsumerName, gap.Aggregate, Handled(gap) + 1, gap.Version);
        }

        if (prerequisites.FirstOrDefault(prerequisite => prerequisite.Version > Handled(prerequisite)) is { } missing)
        {
            metrics.InboxGaps.Add(1, new KeyValuePair<string, object?>("consumer", ConsumerName));
            LogMissingPrerequisite(ConsumerName, missing.Aggregate, missing.Version);
            // As a gap: the message stands where the version after the one it follows would.
            throw new InboxGapException(ConsumerName, missing.Aggregate, Handled(missing) + 1, missing.Version + 1);
        }

        var now = DateTime.UtcNow;
        foreach (var order in orders)
        {
            if (!positions.TryGetValue(order.Aggregate, out var position))
            {
                position = new InboxPosition { Consumer = ConsumerName, Aggregate = order.Aggregate };
                db.Add(position);
            }

            position.Version = order.Version;
            position.UpdatedAt = now;
        }

        return true;
    }

    [LoggerMessage(LogLevel.Debug, "{Consumer} skipped message {MessageId}: already handled")]
    private partial void LogDuplicate(string consumer, Guid messageId);

    [LoggerMessage(LogLevel.Warning, "{Consumer} waits for {Aggregate} v{Expected} before v{Received}; the message will be retried")]
    private partial void LogGap(string consumer, string aggregate, long expected, long received);

    [LoggerMessage(LogLevel.Warning, "{Consumer} waits for {Aggregate} v{Expected}, which the message follows; the message will be retried")]
    private partial void LogMissingPrerequisite(string consumer, string aggregate, long expected);
}
