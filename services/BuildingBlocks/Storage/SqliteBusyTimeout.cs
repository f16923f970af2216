using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Egov.Steering.Storage;

/// <summary>
/// Lets SQLite itself wait for a database another connection is writing (its busy handler retries after 1, 2, 5, 10 ms
/// and so on) on every connection a context opens. Without it Microsoft.Data.Sqlite retries a busy statement only after
/// sleeping 150 ms, so a commit that met another for a moment (the outbox relay marking rows, a consumer's inbox record)
/// waited 150 ms: in bench/DecisionPath's sandbox a 22 ms step had a p90 of 170 ms. Past this timeout the driver's own
/// retries go on until the command timeout.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public const int Milliseconds = 5000;

    public static readonly SqliteBusyTimeout Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = Command(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = Command(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {Milliseconds}";
        return command;
    }
}
