using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Egov.Steering.Messaging.Inbox;

/// <summary>
/// A consumer that handles each message id once: the id is recorded in the consumer's own database transaction,
/// together with whatever the handler changes (including outbox rows it adds), so a redelivery after a crash or a
/// duplicate publish is acknowledged without running the handler again. A consumer that overrides
/// <see cref="OrderOf"/> also handles each aggregate's versions in order: an old version is a duplicate, and a
/// version that arrives before its predecessor is retried (<see cref="InboxGapException"/>) until the gap fills.
/// Ordered consumers need a concurrent message limit above one, or the retried message blocks its predecessor.
/// </summary>
public abstract partial class InboxConsumer<TContext, TMessage>(TContext db, ILogger logger) : IConsumer<TMessage>
    where TContext : DbContext
    where TMessage : class
{
    /// <summary>The name the inbox records ids under; keep it stable across renames of the class.</summary>
    protected virtual string ConsumerName => GetType().Name;

    protected TContext Db => db;

    /// <summary>The aggregate and version of a message, for consumers that need each aggregate in order.</summary>
    protected virtual InboxOrdering? OrderOf(TMessage message) => null;

    /// <summary>Handles the message inside the inbox transaction; changes are saved and committed afterwards.</summary>
    protected abstract Task HandleAsync(ConsumeContext<TMessage> context);

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
                MessagingMetrics.InboxDuplicates.Add(1, new KeyValuePair<string, object?>("consumer", ConsumerName));
                LogDuplicate(ConsumerName, messageId);
                return;
            }

            await HandleAsync(context);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            MessagingMetrics.InboxHandled.Add(1, new KeyValuePair<string, object?>("consumer", ConsumerName));
        }, context.CancellationToken);
    }

    private async Task<bool> TryRecordAsync(Guid messageId, CancellationToken cancellationToken)
    {
        var inbox = db.Set<InboxMessage>();
        if (await inbox.AnyAsync(m => m.Consumer == ConsumerName && m.MessageId == messageId, cancellationToken))
        {
            return false;
        }

        // The key also catches a copy being handled at this very moment: its insert waits for that
        // transaction and fails once it commits.
        inbox.Add(new InboxMessage { Consumer = ConsumerName, MessageId = messageId, HandledAt = DateTime.UtcNow });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (IsUniqueViolation(e))
        {
            return false;
        }
    }

    private async Task<bool> TryAdvanceAsync(TMessage message, CancellationToken cancellationToken)
    {
        if (OrderOf(message) is not { } order)
        {
            return true;
        }

        var position = await db.Set<InboxPosition>()
            .SingleOrDefaultAsync(p => p.Consumer == ConsumerName && p.Aggregate == order.Aggregate, cancellationToken);
        var handled = position?.Version ?? 0;
        if (order.Version <= handled)
        {
            return false;
        }

        if (order.Version > handled + 1)
        {
            MessagingMetrics.InboxGaps.Add(1, new KeyValuePair<string, object?>("consumer", ConsumerName));
            LogGap(ConsumerName, order.Aggregate, handled + 1, order.Version);
            throw new InboxGapException(ConsumerName, order.Aggregate, handled + 1, order.Version);
        }

        if (position is null)
        {
            position = new InboxPosition { Consumer = ConsumerName, Aggregate = order.Aggregate };
            db.Add(position);
        }

        position.Version = order.Version;
        position.UpdatedAt = DateTime.UtcNow;
        return true;
    }

    private static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19, // SQLITE_CONSTRAINT
        _ => false,
    };

    [LoggerMessage(LogLevel.Debug, "{Consumer} skipped message {MessageId}: already handled")]
    private partial void LogDuplicate(string consumer, Guid messageId);

    [LoggerMessage(LogLevel.Warning, "{Consumer} waits for {Aggregate} v{Expected} before v{Received}; the message will be retried")]
    private partial void LogGap(string consumer, string aggregate, long expected, long received);
}
