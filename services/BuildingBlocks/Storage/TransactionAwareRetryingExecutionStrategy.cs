using Egov.Steering.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace Egov.Steering.Storage;

/// <summary>
/// PostgreSQL retry-on-failure that steps aside inside a transaction the code began itself. EF Core's retrying
/// strategy refuses user-initiated transactions outright (InvalidOperationException) unless the whole unit is wrapped
/// in <c>Database.CreateExecutionStrategy().ExecuteAsync(...)</c>; this one instead:
/// <list type="bullet">
/// <item>outside a transaction (a query, a SaveChanges with its implicit transaction, or a wrapped unit whose
/// transaction was disposed by the time the failure surfaces) retries transient failures, up to 5 times;</item>
/// <item>inside an open user transaction never retries, because replaying one command of a transaction that the
/// failure already rolled back would run it outside that transaction: the failure surfaces and the caller's unit
/// (or the client, with its request_id) retries as a whole.</item>
/// <item>within a gRPC call never starts a retry whose pause would reach the call's deadline
/// (<see cref="CallDeadlines.Current"/>): the failure surfaces at once (UNAVAILABLE) instead of the call hanging until
/// its deadline.</item>
/// </list>
/// </summary>
public sealed class TransactionAwareRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies)
    : NpgsqlRetryingExecutionStrategy(dependencies, maxRetryCount: 5, maxRetryDelay: TimeSpan.FromSeconds(5), errorCodesToAdd: null)
{
    private bool InUserTransaction => Dependencies.CurrentContext.Context.Database.CurrentTransaction is not null;

    protected override void OnFirstExecution()
    {
        if (InUserTransaction)
        {
            ExceptionsEncountered.Clear();
            return;
        }

        base.OnFirstExecution();
    }

    protected override bool ShouldRetryOn(Exception? exception) => !InUserTransaction && base.ShouldRetryOn(exception);

    protected override TimeSpan? GetNextDelay(Exception lastException)
    {
        var delay = base.GetNextDelay(lastException);
        return delay is { } pause && CallDeadlines.Current is { } deadline && DateTime.UtcNow + pause >= deadline ? null : delay;
    }
}
