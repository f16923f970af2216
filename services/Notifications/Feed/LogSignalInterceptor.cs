using System.Data.Common;
using Egov.Steering.Notifications.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// The moment a transaction that appended events commits, hands them to this replica's feed (no read back from the
/// log) and wakes the other readers of the log.
/// </summary>
internal sealed class LogSignalInterceptor(EventFeed feed, LogSignal signal) : DbTransactionInterceptor
{
    public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        Starting(eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbTransaction> TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Starting(eventData);
        return result;
    }

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData);

    // What an attempt that never committed appended is not in the log.
    private static void Starting(DbContextEventData eventData)
    {
        if (eventData.Context is NotificationsDbContext db)
        {
            db.Appended.Clear();
        }
    }

    private void Committed(TransactionEndEventData eventData)
    {
        if (eventData.Context is NotificationsDbContext { Appended.Count: > 0 } db)
        {
            feed.OfferCommitted(db.Appended);
            signal.Committed(db.Appended.Max(envelope => envelope.Position));
            db.Appended.Clear();
        }
    }
}
