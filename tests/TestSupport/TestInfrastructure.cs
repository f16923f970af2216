using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Egov.Steering.TestSupport;

/// <summary>
/// The real PostgreSQL, RabbitMQ and Redis started by <c>eng/infra.sh up</c>. Their addresses come from the
/// environment that <c>eng/test.sh</c> exports; a missing one fails the test loudly instead of skipping it.
/// </summary>
public static class TestInfrastructure
{
    // Started by the first database a test process creates.
    private static readonly Lazy<Task> endedRunsDropped = new(() => Task.Run(async () =>
    {
        try
        {
            await DropDatabasesOfEndedProcessesAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // A clean-up only: the next test process tries again.
        }
    }));

    public static string PostgresConnectionString => Required("STEERING_TEST_POSTGRES");

    public static Uri RabbitMqUri => new(Required("STEERING_TEST_RABBITMQ"));

    public static string RedisConfiguration => Required("STEERING_TEST_REDIS");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    // The script bounds each of its own waits (STEERING_INFRA_TIMEOUT, 90 s by default); a cluster starts its nodes at
    // once and then joins them one by one, so a whole run stays well inside this.
    private static readonly TimeSpan InfraScriptDeadline = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Creates an empty database of its own for one test and returns its connection string. It is named after this
    /// process (<c>&lt;prefix&gt;_&lt;pid&gt;_&lt;guid&gt;</c>) and outlives the test; the first database a test process
    /// creates starts dropping, in the background, those of test processes that have ended, so a long-lived machine
    /// keeps about one run's databases instead of filling its disk.
    /// </summary>
    public static async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        _ = endedRunsDropped.Value;
        var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}_{Environment.ProcessId}_{Guid.NewGuid():N}").ToLowerInvariant();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(name.Length, 63, nameof(prefix)); // PostgreSQL would cut the name
        await using (var connection = new NpgsqlConnection(PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(PostgresConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Drops the databases that <see cref="CreateDatabaseAsync"/> made for test processes that are no longer running.</summary>
    public static async Task DropDatabasesOfEndedProcessesAsync()
    {
        await using var connection = new NpgsqlConnection(PostgresConnectionString);
        await connection.OpenAsync();
        var names = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname ~ '_[0-9]+_[0-9a-f]{32}$'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        foreach (var name in names.Where(name => !IsRunning(int.Parse(name.Split('_')[^2], CultureInfo.InvariantCulture))))
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts a throwaway instance that only the calling test uses (for tests that stop and restart it),
    /// so tests running beside it never lose their broker, cache or database.
    /// </summary>
    public static Task StartOwnAsync(InfrastructureKind kind, string name, int port) =>
        RunInfraScriptAsync("start", kind, OwnInstance(name), port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static Task StopOwnAsync(InfrastructureKind kind, string name) => RunInfraScriptAsync("stop", kind, OwnInstance(name));

    /// <summary>
    /// Starts RabbitMQ nodes <c>&lt;name&gt;-1</c>, <c>&lt;name&gt;-2</c>, ... (one per port, in parallel) joined into
    /// one cluster; each is stopped with <see cref="StopOwnAsync"/> under its own name.
    /// </summary>
    public static Task StartOwnRabbitMqClusterAsync(string name, IReadOnlyList<int> ports) =>
        RunInfraScriptAsync("cluster", null, [OwnInstance(name), .. ports.Select(port => port.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

    /// <summary>rabbitmqctl run against the private RabbitMQ node <paramref name="name"/>; returns what it printed.</summary>
    public static Task<string> RabbitMqCtlAsync(string name, params string[] arguments) =>
        RunInfraScriptAsync("rabbitmqctl", null, [OwnInstance(name), .. arguments]);

    /// <summary>
    /// The instance's name for eng/infra.sh: the same name in two test runs side by side is two instances, and the
    /// instances of a run that died without stopping them are removed by the next run's start (test-&lt;pid&gt;-).
    /// </summary>
    public static string OwnInstance(string name) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"test-{Environment.ProcessId}-{name}");

    // The kernel's ephemeral range starts here (Linux's default, 32768-60999): a port chosen now and bound later (a
    // host whose address others must know first, a broker restarted on its port) must lie below it, or another
    // test's outgoing connection or port-0 listener can take it meanwhile.
    private const int EphemeralPortsFrom = 32_768;

    /// <summary>eng/infra.sh gives a RabbitMQ node the Erlang distribution port port + 20000, RabbitMQ's own convention.</summary>
    public const int RabbitMqDistributionOffset = 20_000;

    /// <summary>
    /// A loopback port nothing listens on now and no test process has been given: two hosts of one test, or of two
    /// test assemblies run side by side, never draw the same port before either binds it.
    /// </summary>
    public static int FreePort()
    {
        // Above the RabbitMQ ports below, so the two never draw the same port.
        while (true)
        {
            var port = Random.Shared.Next(EphemeralPortsFrom - RabbitMqDistributionOffset, 20_000);
            if (TryReservePort(port))
            {
                return port;
            }
        }
    }

    /// <summary>
    /// A free port for a private RabbitMQ whose distribution port (port + 20000) is free too, both below the ephemeral
    /// range: drawn from 20000 up, the distribution port lay in it, and a connection that took it between the draw and
    /// the node's start made the node fail to boot ("nodistribution"), failing a broker-restart test in CI.
    /// </summary>
    public static int FreeRabbitMqPort()
    {
        while (true)
        {
            var port = Random.Shared.Next(10_000, EphemeralPortsFrom - RabbitMqDistributionOffset);
            if (IsFree(port + RabbitMqDistributionOffset) && TryReservePort(port))
            {
                return port;
            }
        }
    }

    // One lock file per port handed out, held by the process that drew it until it ends (the kernel drops a dead
    // process's locks): a port is checked free when drawn but bound only later, and a draw elsewhere in between (the
    // gRPC and HTTP ports of one host, another test assembly) failed a host's start with "address already in use".
    private static readonly ConcurrentDictionary<int, FileStream> reservedPorts = new();

    private static readonly string PortLocks = Path.Combine(Path.GetTempPath(), "egov-steering-test-ports");

    internal static string PortLockFile(int port) => Path.Combine(PortLocks, port.ToString(CultureInfo.InvariantCulture));

    // Takes the port for this process if nothing listens on it and no test process holds it.
    private static bool TryReservePort(int port)
    {
        if (reservedPorts.ContainsKey(port))
        {
            return false;
        }

        Directory.CreateDirectory(PortLocks);
        FileStream held;
        try
        {
            // FileShare.None is an exclusive flock(2) on Linux, across processes.
            held = new FileStream(PortLockFile(port), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return false;
        }

        if (IsFree(port) && reservedPorts.TryAdd(port, held))
        {
            return true;
        }

        held.Dispose();
        return false;
    }

    // Every address (as Kestrel binds http://[::]:port), then loopback: one at a time, or they would clash.
    private static bool IsFree(int port) =>
        CanListen(TcpListener.Create(port)) && CanListen(new TcpListener(IPAddress.Loopback, port));

    private static bool CanListen(TcpListener listener)
    {
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Dispose();
        }
    }

    private static async Task<string> RunInfraScriptAsync(string verb, InfrastructureKind? kind, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = RepositoryRoot };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "eng", "infra.sh"));
        start.ArgumentList.Add(verb);
        if (kind is not null)
        {
            start.ArgumentList.Add(kind.Value.ToString().ToLowerInvariant());
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var result = await BoundedProcess.RunAsync(start, InfraScriptDeadline);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"eng/infra.sh {verb} {kind} {string.Join(' ', arguments)} failed ({result.ExitCode}):\n{result.Output}\n{result.Error}");
        }

        return result.Output;
    }

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: run the tests with eng/test.sh (or `eval \"$(eng/infra.sh env)\"` after `eng/infra.sh up`).");

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Microservices.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Microservices.sln not found above " + AppContext.BaseDirectory);
    }
}

public enum InfrastructureKind
{
    Postgres,
    RabbitMq,
    Redis,
}
