using Npgsql;

namespace Egov.Steering.Bench.DecisionPath;

/// <summary>
/// The statements and transactions each service's database ran, from PostgreSQL's <c>pg_stat_statements</c> (when the
/// server preloads it, as <c>eng/infra.sh</c> starts it). Each statement costs the service and PostgreSQL CPU, so beside
/// the CPU per decision it says how much of a process's work is talking to its database.
/// </summary>
internal sealed class StatementCounts(IReadOnlyDictionary<string, (long Statements, long Transactions)> byService)
{
    private IReadOnlyDictionary<string, (long Statements, long Transactions)> ByService { get; } = byService;

    // PostgreSQL's error when the module is not in shared_preload_libraries.
    private const string ObjectNotInPrerequisiteState = "55000";

    /// <summary>The counts so far of each service's database (service name to database name); null without the module.</summary>
    public static async Task<StatementCounts?> TakeAsync(string server, IReadOnlyDictionary<string, string> databases)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
            SELECT d.datname, sum(s.calls)::bigint, coalesce(sum(s.calls) FILTER (WHERE s.query ILIKE 'BEGIN%'), 0)::bigint
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            GROUP BY d.datname
            """,
            connection);
        var byDatabase = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                byDatabase[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
            }
        }
        catch (PostgresException e) when (e.SqlState == ObjectNotInPrerequisiteState)
        {
            return null;
        }

        return new StatementCounts(databases.ToDictionary(d => d.Key, d => byDatabase.GetValueOrDefault(d.Value)));
    }

    /// <summary>Statements (and of them transactions begun) per decision of each service since <paramref name="before"/>.</summary>
    public string PerDecisionSince(StatementCounts before, int decisions)
    {
        var parts = ByService.Select(s =>
        {
            var (statements, transactions) = before.ByService.GetValueOrDefault(s.Key);
            return (Service: s.Key, Statements: (s.Value.Statements - statements) / (double)decisions, Transactions: (s.Value.Transactions - transactions) / (double)decisions);
        }).ToList();
        return string.Join("  ", parts.Select(p => $"{p.Service} {p.Statements:F1} ({p.Transactions:F1} transactions)"))
            + $"  total {parts.Sum(p => p.Statements):F1} ({parts.Sum(p => p.Transactions):F1})";
    }
}
