using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Egov.Steering.Access;
using Egov.Steering.Decisions.Data;
using Egov.Steering.Decisions.V1;
using Egov.Steering.ServiceDefaults;
using Egov.Steering.Storage;
using Egov.Steering.TestSupport;
using Grpc.Net.Client;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.Decisions.Tests.Support;

/// <summary>
/// The Decisions service composed as Program.cs composes it, on a fresh PostgreSQL database of its own (migrated with
/// the real migration) or a SQLite file of its own, served by TestServer; clients call it through the real gRPC
/// pipeline with minted tokens.
/// </summary>
public sealed class DecisionsHost : IAsyncDisposable
{
    private DecisionsHost(WebApplication app, string database, CapturedLogs logs, string topologyPrefix)
    {
        App = app;
        Database = database;
        Logs = logs;
        TopologyPrefix = topologyPrefix;
    }

    public WebApplication App { get; }

    public string Database { get; }

    /// <summary>Prefix of this host's event exchanges (its own, so other test runs on the broker never see them).</summary>
    public string TopologyPrefix { get; }

    public CapturedLogs Logs { get; }

    /// <param name="membership">Membership's address (a fake, or a closed port for "Membership is down").</param>
    /// <param name="rabbitMq">The broker; null for the in-memory bus.</param>
    /// <param name="sqlite">The embedded mode's SQLite (a file of its own) instead of PostgreSQL.</param>
    public static async Task<DecisionsHost> StartAsync(
        Uri membership, Uri? rabbitMq = null, IDictionary<string, string?>? settings = null, bool sqlite = false)
    {
        var database = sqlite
            ? $"Data Source={Path.Combine(Path.GetTempPath(), $"decisions-{Guid.NewGuid():N}.db")}"
            : await TestInfrastructure.CreateDatabaseAsync("decisions");
        var isolation = $"decisions-test-{Guid.NewGuid():N}";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = sqlite ? "Sqlite" : "PostgreSQL",
            ["ConnectionStrings:Database"] = database,
            ["Bus:Transport"] = rabbitMq is null ? "InMemory" : "RabbitMQ",
            ["ConnectionStrings:RabbitMQ"] = rabbitMq?.ToString(),
            ["Cache:Provider"] = "Memory",
            ["Services:Membership"] = membership.ToString(),
            // Queues and exchanges of their own: other test runs share the broker.
            ["Messaging:EndpointPrefix"] = isolation,
            ["Messaging:TopologyPrefix"] = isolation,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.WebHost.UseTestServer();
        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs);
        builder.AddServiceDefaults();
        builder.AddDecisions();

        // Start returns once the queues are bound: an outcome published earlier would have nowhere to go.
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapDecisions();
        await app.MigrateDatabaseAsync<DecisionsDbContext>();
        await app.StartAsync();
        return new DecisionsHost(app, database, logs, isolation);
    }

    /// <summary>A client acting for <paramref name="organisation"/> with read and write scopes (or those given).</summary>
    public DecisionsService.DecisionsServiceClient Client(string organisation, params string[] scopes)
    {
        var token = DevelopmentTokens.Mint(
            organisation, scopes.Length > 0 ? scopes : [SteeringScopes.Read, SteeringScopes.Write], TimeSpan.FromHours(1));
        var handler = new BearerToken(token) { InnerHandler = App.GetTestServer().CreateHandler() };
        var channel = GrpcChannel.ForAddress(App.GetTestServer().BaseAddress, new GrpcChannelOptions { HttpHandler = handler });
        return new DecisionsService.DecisionsServiceClient(channel);
    }

    public AsyncServiceScope CreateScope(out DecisionsDbContext db)
    {
        var scope = App.Services.CreateAsyncScope();
        db = scope.ServiceProvider.GetRequiredService<DecisionsDbContext>();
        return scope;
    }

    /// <summary>An address on which nothing listens: Membership is down.</summary>
    public static Uri UnreachableAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (Database.StartsWith("Data Source=", StringComparison.Ordinal))
        {
            SqliteConnection.ClearAllPools();
            File.Delete(Database["Data Source=".Length..]);
        }
    }

    private sealed class BearerToken(string token) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>Every log line the host writes, to assert what an operator is told.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> entries = new();

    public IEnumerable<(LogLevel Level, string Message)> Entries => entries;

    public ILogger CreateLogger(string categoryName) => new Logger(entries);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(LogLevel, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((logLevel, formatter(state, exception)));
    }
}
