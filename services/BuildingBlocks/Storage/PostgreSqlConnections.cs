using System.Data.Common;
using Npgsql;

namespace Egov.Steering.Storage;

/// <summary>The PostgreSQL connection settings a service runs with, unless <c>ConnectionStrings:Database</c> sets them.</summary>
public static class PostgreSqlConnections
{
    /// <summary>
    /// Statements run this many times on a connection are prepared on it (<c>Max Auto Prepare</c>): PostgreSQL then
    /// parses and plans each once per connection instead of once per call, which halved its CPU per decision
    /// (bench/DecisionPath). Behind a pooler in transaction mode that cannot keep prepared statements, set
    /// <c>Max Auto Prepare=0</c> in the connection string.
    /// </summary>
    public const int MaxAutoPrepare = 128;

    /// <summary>
    /// <paramref name="connectionString"/> with automatic preparation and without the reset of a connection returned to
    /// the pool (<c>No Reset On Close</c>: nothing here leaves session state behind — listeners use connections of their
    /// own — and the reset would drop the prepared statements). A value the string sets itself is kept.
    /// </summary>
    public static string WithServiceDefaults(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        bool Sets(string keyword) => given.Keys.Cast<string>().Any(key =>
            string.Equals(key.Replace(" ", "", StringComparison.Ordinal), keyword, StringComparison.OrdinalIgnoreCase));

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Sets("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }

        if (!Sets("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
