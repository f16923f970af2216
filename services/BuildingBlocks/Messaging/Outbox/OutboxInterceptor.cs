using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Egov.Steering.Messaging.Outbox;

/// <summary>
/// Wakes relays right after a transaction that wrote outbox rows commits: the local relay in-process, and on
/// PostgreSQL the relays of every replica through a NOTIFY sent inside that transaction (delivered only on commit,
/// never on rollback). Registered in DI as an <see cref="IInterceptor"/> by <c>AddOutboxRelay</c>.
/// </summary>
internal sealed class OutboxInterceptor(OutboxSignals signals) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>The PostgreSQL channel relays LISTEN on (NOTIFY is scoped to one database).</summary>
    internal const string NotificationChannel = "outbox_messages";

    // Contexts whose current unit of work added outbox rows, with their partitions; weak, so a context never
    // committed is not kept alive.
    private static readonly ConditionalWeakTable<DbContext, HashSet<int>> Pending = [];

    // The payload names this host (a hex GUID: nothing to escape), whose own listener ignores it.
    private readonly string _notifyText = $"NOTIFY {NotificationChannel}, '{signals.Origin}'";

    internal static void MarkPending(DbContext db, int partition) => Pending.GetOrCreateValue(db).Add(partition);

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (IsPending(eventData.Context) && eventData.Context!.Database.IsNpgsql())
        {
            using var notify = NotifyCommand(transaction);
            notify.ExecuteNonQuery();
        }

        return result;
    }

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (IsPending(eventData.Context) && eventData.Context!.Database.IsNpgsql())
        {
            await using var notify = NotifyCommand(transaction);
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }

        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    // SaveChanges without any transaction (a single statement) commits on its own: wake relays after it.
    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (CommittedWithoutTransaction(eventData.Context))
        {
            if (eventData.Context!.Database.IsNpgsql())
            {
                eventData.Context.Database.ExecuteSqlRaw(_notifyText);
            }

            Committed(eventData.Context);
        }

        return result;
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (CommittedWithoutTransaction(eventData.Context))
        {
            if (eventData.Context!.Database.IsNpgsql())
            {
                await eventData.Context.Database.ExecuteSqlRawAsync(_notifyText, cancellationToken);
            }

            Committed(eventData.Context);
        }

        return result;
    }

    private static bool IsPending(DbContext? context) => context is not null && Pending.TryGetValue(context, out _);

    private static bool CommittedWithoutTransaction(DbContext? context) =>
        IsPending(context) && context!.Database.CurrentTransaction is null;

    private void Committed(DbContext? context)
    {
        if (context is not null && Pending.TryGetValue(context, out var partitions))
        {
            Forget(context);
            signals.For(context.GetType()).Notify(partitions);
        }
    }

    private static void Forget(DbContext? context)
    {
        if (context is not null)
        {
            Pending.Remove(context);
        }
    }

    private DbCommand NotifyCommand(DbTransaction transaction)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = _notifyText;
        return command;
    }
}
