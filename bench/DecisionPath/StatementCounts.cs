using Npgsql;

namespace Egov.Steering.Bench.DecisionPath;

/// <summary>
/// The statements and transactions each service's database ran, and how long PostgreSQL spent planning and executing
/// them, from <c>pg_stat_statements</c> (when the server preloads it, as <c>eng/infra.sh</c> starts it, with
/// <c>track_planning</c> on). Each statement costs the service and PostgreSQL CPU, so beside the CPU per decision it says
/// how much of a process's work is talking to its database; the planning time shows statements planned anew on every
/// call, which a custom plan the plan cache keeps choosing costs.
/// </summary>
internal sealed class StatementCounts(IReadOnlyDictionary<string, StatementCounts.Totals> byService, bool planningTracked)
{
    private IReadOnlyDictionary<string, Totals> ByService { get; } = byService;

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
            SELECT d.datname, sum(s.calls)::bigint, coalesce(sum(s.calls) FILTER (WHERE s.query ILIKE 'BEGIN%'), 0)::bigint,
                   sum(s.plans)::bigint, sum(s.total_plan_time), sum(s.total_exec_time),
                   current_setting('pg_stat_statements.track_planning')::boolean
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            GROUP BY d.datname
            """,
            connection);
        var byDatabase = new Dictionary<string, Totals>(StringComparer.Ordinal);
        var planningTracked = false;
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                byDatabase[reader.GetString(0)] = new Totals(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetDouble(4), reader.GetDouble(5));
                planningTracked = reader.GetBoolean(6);
            }
        }
        catch (PostgresException e) when (e.SqlState == ObjectNotInPrerequisiteState)
        {
            return null;
        }

        return new StatementCounts(databases.ToDictionary(d => d.Key, d => byDatabase.GetValueOrDefault(d.Value)), planningTracked);
    }

    /// <summary>
    /// Per decision of each service since <paramref name="before"/>: statements, and of them transactions begun; with
    /// planning tracked, also the statements planned and PostgreSQL's milliseconds planning and executing them (waits for
    /// locks included).
    /// </summary>
    public string PerDecisionSince(StatementCounts before, int decisions)
    {
        var parts = ByService.Select(s => (Service: s.Key, PerDecision: (s.Value - before.ByService.GetValueOrDefault(s.Key)) / decisions)).ToList();
        var all = parts.Aggregate(default(Totals), (sum, part) => sum + part.PerDecision);
        return string.Join("  ", parts.Select(p => $"{p.Service} {Describe(p.PerDecision)}")) + $"  total {Describe(all)}";
    }

    private string Describe(Totals perDecision) => planningTracked
        ? $"{perDecision.Statements:F1} ({perDecision.Transactions:F1} transactions, {perDecision.Plans:F1} planned; PostgreSQL planning {perDecision.PlanMs:F1} ms, executing {perDecision.ExecMs:F1} ms)"
        : $"{perDecision.Statements:F1} ({perDecision.Transactions:F1} transactions)";

    /// <summary>Counts and milliseconds from <c>pg_stat_statements</c>, as running totals or per decision.</summary>
    internal readonly record struct Totals(double Statements, double Transactions, double Plans, double PlanMs, double ExecMs)
    {
        public static Totals operator +(Totals a, Totals b) =>
            new(a.Statements + b.Statements, a.Transactions + b.Transactions, a.Plans + b.Plans, a.PlanMs + b.PlanMs, a.ExecMs + b.ExecMs);

        public static Totals operator -(Totals a, Totals b) =>
            new(a.Statements - b.Statements, a.Transactions - b.Transactions, a.Plans - b.Plans, a.PlanMs - b.PlanMs, a.ExecMs - b.ExecMs);

        public static Totals operator /(Totals a, int n) =>
            new(a.Statements / n, a.Transactions / n, a.Plans / n, a.PlanMs / n, a.ExecMs / n);
    }
}
