using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Egov.Steering.Storage;

/// <summary>
/// Reads made of several queries (a split query's SELECTs, an aggregate and what it refers to) that must see one state
/// of the database: outside a transaction each query sees what was committed when it ran, so a row committed between
/// two of them arrives without its children (a membership without its role periods).
/// </summary>
public static class SnapshotReads
{
    /// <summary>
    /// Runs <paramref name="read"/> in one read-only snapshot: PostgreSQL REPEATABLE READ READ ONLY, SQLite a deferred
    /// (read) transaction. Inside a transaction the caller opened, that transaction decides what the queries see.
    /// The whole read is retried as a unit on a transient failure.
    /// </summary>
    public static Task<T> InSnapshotAsync<T>(this DbContext db, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(read);
        if (db.Database.CurrentTransaction is not null)
        {
            return read(cancellationToken);
        }

        return db.Database.CreateExecutionStrategy().ExecuteAsync(
            token => db.Database.IsSqlite() ? InSqliteReadTransactionAsync(db, read, token) : InRepeatableReadAsync(db, read, token),
            cancellationToken);
    }

    private static async Task<T> InRepeatableReadAsync<T>(DbContext db, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SET TRANSACTION READ ONLY", cancellationToken);
        var result = await read(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// BEGIN DEFERRED: the snapshot is taken at the first read and holds no write lock, so writers are not kept waiting
    /// (EF's own BeginTransaction would be BEGIN IMMEDIATE, a write lock).
    /// </summary>
    private static async Task<T> InSqliteReadTransactionAsync<T>(DbContext db, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var sqlite = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
            await using (await db.Database.UseTransactionAsync(sqlite, cancellationToken))
            {
                var result = await read(cancellationToken);
                await sqlite.CommitAsync(cancellationToken);
                return result;
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
