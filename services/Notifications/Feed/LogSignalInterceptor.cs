using System.Data.Common;
using Egov.Steering.Notifications.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Egov.Steering.Notifications.Feed;

/// <summary>Wakes this replica's log readers the moment a transaction that appended events commits.</summary>
internal sealed class LogSignalInterceptor(LogSignal signal) : DbTransactionInterceptor
{
    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData);

    private void Committed(TransactionEndEventData eventData)
    {
        if (eventData.Context is NotificationsDbContext { AppendedEvents: true } db)
        {
            db.AppendedEvents = false;
            signal.Notify();
        }
    }
}
