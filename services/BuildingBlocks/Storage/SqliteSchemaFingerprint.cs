using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Egov.Steering.Storage;

/// <summary>
/// SQLite databases are created from the model, never upgraded: a file created by an older version of the code (a
/// table or column added since) would be used as is and fail later with an obscure SQLite error. So the hash of the
/// model's DDL is stored in the file when it is created, and a file whose hash differs (or has none) is refused.
/// </summary>
internal static class SqliteSchemaFingerprint
{
    /// <summary>Creates the database from the model when it has no tables; otherwise checks it was created from this model.</summary>
    public static async Task EnsureCreatedFromCurrentModelAsync(this DatabaseFacade database, string context, CancellationToken cancellationToken = default)
    {
        // One connection throughout: an in-memory database (":memory:") lives only as long as its connection.
        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            await CreateOrCheckAsync(database, context, cancellationToken);
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }

    private static async Task CreateOrCheckAsync(DatabaseFacade database, string context, CancellationToken cancellationToken)
    {
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(database.GenerateCreateScript())));
        if (await database.EnsureCreatedAsync(cancellationToken))
        {
            await database.ExecuteSqlAsync($"CREATE TABLE __schema_fingerprint (fingerprint TEXT NOT NULL)", cancellationToken);
            await database.ExecuteSqlAsync($"INSERT INTO __schema_fingerprint (fingerprint) VALUES ({fingerprint})", cancellationToken);
            return;
        }

        // A file from before fingerprints were stored has no such table: it is just as unknown.
        var stored = await database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = '__schema_fingerprint'")
            .SingleAsync(cancellationToken) == 0
            ? []
            : await database.SqlQuery<string>($"SELECT fingerprint AS \"Value\" FROM __schema_fingerprint").ToListAsync(cancellationToken);
        if (stored is not [var created] || created != fingerprint)
        {
            throw new StaleDatabaseException(context, database.GetDbConnection().DataSource);
        }
    }
}

/// <summary>An embedded (SQLite) database created by another version of the code, whose schema is not this model's.</summary>
public sealed class StaleDatabaseException(string context, string file)
    : InvalidOperationException(
        $"{file} ({context}) was created by an older version of the code: its schema differs from the current model. "
        + "SQLite databases are created, not upgraded: delete the file to have it created again.")
{
    /// <summary>The database file.</summary>
    public string File { get; } = file;
}
