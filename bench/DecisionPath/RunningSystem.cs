using System.Data.Common;
using System.Diagnostics;
using Egov.Steering.Access;
using Grpc.Net.Client;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Egov.Steering.Bench.DecisionPath;

/// <summary>
/// The system under test, started from the services' Release builds: three processes on the shared PostgreSQL,
/// RabbitMQ and Redis (fresh databases, queue and exchange names of their own), or the sandbox in a fresh folder.
/// </summary>
internal sealed class RunningSystem : IAsyncDisposable
{
    private readonly List<Process> processes = [];
    private readonly Dictionary<string, int> serviceProcesses = [];
    private readonly List<GrpcChannel> channels = [];
    private readonly List<Func<Task>> cleanups = [];
    private Func<Task<StatementCounts?>> statementCounts = () => Task.FromResult<StatementCounts?>(null);

    private RunningSystem(Uri membership, Uri decisions, Uri notifications, Func<DbConnection> membershipDb, Func<DbConnection> decisionsDb, Func<DbConnection> notificationsDb)
    {
        (Membership, Decisions, Notifications) = (membership, decisions, notifications);
        (MembershipDb, DecisionsDb, NotificationsDb) = (membershipDb, decisionsDb, notificationsDb);
    }

    public Uri Membership { get; }

    public Uri Decisions { get; }

    public Uri Notifications { get; }

    private Func<DbConnection> MembershipDb { get; }

    private Func<DbConnection> DecisionsDb { get; }

    private Func<DbConnection> NotificationsDb { get; }

    public static async Task<RunningSystem> StartDistributedAsync(Infrastructure infrastructure)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var prefix = $"bench-dp-{run}";
        var databases = new Dictionary<string, string>();
        foreach (var service in new[] { "membership", "decisions", "notifications" })
        {
            databases[service] = await infrastructure.CreateDatabaseAsync($"bench_dp_{run}_{service}");
        }

        var ports = new[] { "membership", "decisions", "notifications" }.ToDictionary(s => s, _ => Machine.FreePort());
        var system = new RunningSystem(
            Address(ports["membership"]), Address(ports["decisions"]), Address(ports["notifications"]),
            () => new NpgsqlConnection(databases["membership"]), () => new NpgsqlConnection(databases["decisions"]), () => new NpgsqlConnection(databases["notifications"]));
        var databaseNames = databases.ToDictionary(
            d => char.ToUpperInvariant(d.Key[0]) + d.Key[1..], d => new NpgsqlConnectionStringBuilder(d.Value).Database!);
        system.statementCounts = () => StatementCounts.TakeAsync(infrastructure.Postgres, databaseNames);
        system.cleanups.Add(async () =>
        {
            foreach (var database in databases.Values)
            {
                await infrastructure.DropDatabaseAsync(database);
            }

            await infrastructure.DeleteBrokerEntitiesAsync(prefix);
        });

        try
        {
            foreach (var service in new[] { "Membership", "Decisions", "Notifications" })
            {
                var key = service.ToLowerInvariant();
                var environment = new Dictionary<string, string>(ProductionPipeline.Environment)
                {
                    ["Storage__Provider"] = "PostgreSQL",
                    ["Bus__Transport"] = "RabbitMQ",
                    ["Cache__Provider"] = "Redis",
                    ["ConnectionStrings__Database"] = databases[key],
                    ["ConnectionStrings__RabbitMQ"] = infrastructure.RabbitMq.ToString(),
                    ["ConnectionStrings__Redis"] = infrastructure.Redis,
                    ["Hosting__GrpcPort"] = ports[key].ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Hosting__HttpPort"] = Machine.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Messaging__EndpointPrefix"] = $"{prefix}-{key}",
                    ["Messaging__TopologyPrefix"] = prefix,
                    ["Views__KeyPrefix"] = $"{prefix}:views:",
                    ["Notifications__PublicExchange__Exchange"] = $"{prefix}.events",
                    ["Services__Membership"] = Address(ports["membership"]).ToString(),
                    ["Logging__LogLevel__Default"] = "Warning",
                    // A loaded machine must slow the bench down, not fail its calls.
                    ["Hosting__DefaultCallDeadline"] = "00:02:00",
                };
                using (var migrate = Start(service, ["migrate"], environment))
                {
                    await ChildProcess.WaitForSuccessAsync(migrate, $"{service} migrate", TimeSpan.FromMinutes(5));
                }

                var process = Start(service, [], environment);
                system.processes.Add(process);
                system.serviceProcesses[service] = process.Id;
                await WaitServingAsync(process, Address(int.Parse(environment["Hosting__HttpPort"], System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }

        return system;
    }

    public static async Task<RunningSystem> StartSandboxAsync()
    {
        var folder = Directory.CreateTempSubdirectory("bench-decision-path-").FullName;
        var grpcPort = Machine.FreePort();
        var httpPort = Machine.FreePort();
        SqliteConnection Db(string file) => new(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, file), Mode = SqliteOpenMode.ReadOnly }.ConnectionString);
        var system = new RunningSystem(
            Address(grpcPort), Address(grpcPort), Address(grpcPort), () => Db("membership.db"), () => Db("decisions.db"), () => Db("notifications.db"));
        system.cleanups.Add(() =>
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
            return Task.CompletedTask;
        });
        try
        {
            var ready = new TaskCompletionSource();
            var process = Start(
                "AllInOne",
                [$"--Sandbox:DataPath={folder}", $"--Hosting:GrpcPort={grpcPort}", $"--Hosting:HttpPort={httpPort}", "--Sandbox:AddressFile=", "--Logging:LogLevel:Default=Warning", "--Hosting:DefaultCallDeadline=00:02:00"],
                new Dictionary<string, string>(),
                line =>
                {
                    // The banner's token line comes once the sample data are loaded.
                    if (line.Contains("STEERINGCTL_TOKEN", StringComparison.Ordinal))
                    {
                        ready.TrySetResult();
                    }
                });
            system.processes.Add(process);
            system.serviceProcesses["AllInOne"] = process.Id;
            await ready.Task.WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }

        return system;
    }

    /// <summary>CPU time so far of the services' processes, PostgreSQL's and RabbitMQ's.</summary>
    public CpuTimes CpuTimes() => DecisionPath.CpuTimes.Take(serviceProcesses);

    /// <summary>The statements each service's database has run so far; null in the sandbox, or without pg_stat_statements.</summary>
    public Task<StatementCounts?> StatementCountsAsync() => statementCounts();

    /// <summary>
    /// Waits until every service spends under 30 ms of CPU a second over <paramref name="window"/> (or
    /// <paramref name="atMost"/> has passed); returns how long that took and the CPU per second of the last window.
    /// </summary>
    public async Task<(TimeSpan Elapsed, string CpuPerSecond)> WaitUntilIdleAsync(TimeSpan window, TimeSpan atMost)
    {
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        CpuTimes from, to;
        do
        {
            from = CpuTimes();
            await Task.Delay(window);
            to = CpuTimes();
        }
        while (!to.ServicesIdleSince(from, window, msPerSecond: 30) && waiting.Elapsed < atMost);
        return (waiting.Elapsed, to.PerSecondSince(from, window));
    }

    /// <summary>CPU time so far of the services' tiered-compilation threads (see <see cref="ProcStat.TieredCompilation"/>).</summary>
    public IReadOnlyDictionary<(int Process, int Thread), TimeSpan> TieredCompilation() => ProcStat.TieredCompilation(serviceProcesses.Values);

    /// <summary>Milliseconds of CPU the services' tiered-compilation threads spent since <paramref name="before"/>.</summary>
    public double TieredCompilationMsSince(IReadOnlyDictionary<(int Process, int Thread), TimeSpan> before) =>
        ProcStat.TieredCompilationMsSince(before, serviceProcesses.Values);

    /// <summary>A channel acting for <paramref name="organisation"/> with a development token, read and write scopes.</summary>
    public GrpcChannel Channel(Uri address, string organisation)
    {
        var token = DevelopmentTokens.Mint(organisation, [SteeringScopes.Read, SteeringScopes.Write], TimeSpan.FromHours(2));
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new BearerHandler(token) { InnerHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } },
        });
        channels.Add(channel);
        return channel;
    }

    /// <summary>The per-hop times of the decisions, from the rows each service wrote on its way.</summary>
    public async Task<Hops> ReadHopsAsync(IReadOnlyList<IssuedDecision> issued)
    {
        var decisionsOutbox = await ReadOutboxAsync(DecisionsDb, "egov.steering.events.v1.DecisionIssued");
        var membershipOutbox = await ReadOutboxAsync(MembershipDb, "egov.steering.events.v1.DecisionApplied");
        var membershipInbox = await ReadAsync(
            MembershipDb,
            "SELECT message_id, handled_at FROM inbox_messages",
            reader => (Id: reader.GetGuid(0), At: Utc(reader.GetDateTime(1))));
        var log = await ReadAsync(
            NotificationsDb,
            "SELECT aggregate, appended_at FROM event_log WHERE type = 'egov.steering.events.v1.DecisionApplied'",
            reader => (Aggregate: reader.GetString(0), At: Utc(reader.GetDateTime(1))));
        var received = membershipInbox.GroupBy(row => row.Id).ToDictionary(row => row.Key, row => row.Min(r => r.At));
        var logged = log.ToDictionary(row => row.Aggregate, row => row.At, StringComparer.Ordinal);

        var hops = new Hops();
        foreach (var decision in issued)
        {
            var issuedRow = decisionsOutbox[decision.Name];
            var appliedRow = membershipOutbox[decision.Name];
            hops.Add(
                decision.CalledAt,
                issuedRow.CreatedAt,
                issuedRow.PublishedAt,
                received.GetValueOrDefault(issuedRow.MessageId),
                appliedRow.CreatedAt,
                appliedRow.PublishedAt,
                logged.GetValueOrDefault(decision.Name + "/outcome"),
                decision.ReceivedAt);
        }

        return hops;
    }

    public async ValueTask DisposeAsync()
    {
        channels.ForEach(channel => channel.Dispose());
        foreach (var process in processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        foreach (var cleanup in cleanups)
        {
            await cleanup();
        }
    }

    private static Uri Address(int port) => new($"http://127.0.0.1:{port}");

    private static DateTime Utc(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc);

    private static async Task<Dictionary<string, (Guid MessageId, DateTime CreatedAt, DateTime PublishedAt)>> ReadOutboxAsync(Func<DbConnection> database, string type)
    {
        var rows = await ReadAsync(
            database,
            "SELECT message_id, headers, created_at, published_at FROM outbox_messages WHERE published_at IS NOT NULL",
            reader => (
                MessageId: reader.GetGuid(0),
                Headers: System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(1)) ?? [],
                CreatedAt: Utc(reader.GetDateTime(2)),
                PublishedAt: Utc(reader.GetDateTime(3))));
        return rows
            .Where(row => row.Headers.GetValueOrDefault("cloudEvents:type") == type)
            .ToDictionary(row => row.Headers["cloudEvents:subject"], row => (row.MessageId, row.CreatedAt, row.PublishedAt), StringComparer.Ordinal);
    }

    private static async Task<List<T>> ReadAsync<T>(Func<DbConnection> database, string sql, Func<DbDataReader, T> read)
    {
        await using var connection = database();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static Process Start(string service, string[] arguments, Dictionary<string, string> environment, Action<string>? onOutput = null)
    {
        var folder = Path.Combine(Machine.RepositoryRoot(), "services", service, "bin", "Release", "net10.0");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(folder, $"Egov.Steering.{service}.dll"));
        arguments.ToList().ForEach(start.ArgumentList.Add);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {service}");
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                onOutput?.Invoke(text);
            }
        };
        // Warnings and errors of the services, for a run that goes wrong.
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { Length: > 0 } text)
            {
                Console.Error.WriteLine($"[{service}] {text}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitServingAsync(Process process, Uri health)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(new Uri(health, "/readyz"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet, or busy starting
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"service at {health} did not become ready");
    }

    private sealed class BearerHandler(string token) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
