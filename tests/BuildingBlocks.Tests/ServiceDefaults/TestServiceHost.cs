using System.Collections.Concurrent;
using Egov.Steering.Access;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Health;
using Egov.Steering.TestSupport;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>
/// A service host exactly as a service's Program.cs builds it (AddServiceDefaults, MapDefaultEndpoints), served by
/// TestServer so tests go through the real ASP.NET Core and gRPC pipeline without opening ports.
/// </summary>
public sealed class TestServiceHost : IAsyncDisposable
{
    private TestServiceHost(WebApplication app, CapturedLogs logs)
    {
        App = app;
        Logs = logs;
        Channel = CreateChannel(DevelopmentTokens.Mint(Organisations.National, [SteeringScopes.Read], TimeSpan.FromHours(1)));
    }

    public WebApplication App { get; }

    public GrpcChannel Channel { get; }

    public CapturedLogs Logs { get; }

    public HttpClient CreateHttpClient() => App.GetTestServer().CreateClient();

    /// <summary>A channel whose calls carry <paramref name="bearerToken"/> (none when null).</summary>
    public GrpcChannel CreateChannel(string? bearerToken)
    {
        HttpMessageHandler handler = App.GetTestServer().CreateHandler();
        if (bearerToken is not null)
        {
            handler = new BearerTokenHandler(bearerToken) { InnerHandler = handler };
        }

        return GrpcChannel.ForAddress(App.GetTestServer().BaseAddress, new GrpcChannelOptions { HttpHandler = handler });
    }

    private sealed class BearerTokenHandler(string token) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>A service host with the defaults and the probe service on real Kestrel ports: gRPC (h2c) and HTTP/1.1, both free ports.</summary>
    /// <param name="settings">Configuration on top of the ports (e.g. the <c>Tls</c> section).</param>
    public static async Task<KestrelHost> StartOnKestrelAsync(IDictionary<string, string?>? settings = null)
    {
        var (grpcPort, httpPort) = (TestInfrastructure.FreePort(), TestInfrastructure.FreePort());
        var builder = CreateBuilder(
            new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
            {
                ["Hosting:GrpcPort"] = grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Hosting:HttpPort"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            testServer: false);
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGrpcService<ProbeGrpcService>();
        await app.StartAsync();
        await app.Services.GetRequiredService<PublishedHealth>().ReadinessAsync(); // ready, as a kubelet would wait for
        return new KestrelHost(app, grpcPort, httpPort);
    }

    /// <summary>
    /// Embedded-mode switches unless <paramref name="settings"/> overrides them; Development, where the development
    /// signing key is accepted, unless <paramref name="environment"/> says otherwise.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(
        IDictionary<string, string?>? settings = null,
        string environment = "Development",
        bool testServer = true,
        params string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["ConnectionStrings:Database"] = "Data Source=:memory:",
            ["Bus:Transport"] = "InMemory",
            ["Cache:Provider"] = "Memory",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        if (testServer)
        {
            builder.WebHost.UseTestServer();
        }

        return builder;
    }

    /// <param name="afterDefaults">Runs after the default endpoints and middleware are mapped, before the probe service.</param>
    public static async Task<TestServiceHost> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication>? afterDefaults = null)
    {
        var builder = CreateBuilder(settings);
        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs);
        builder.AddServiceDefaults();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        afterDefaults?.Invoke(app);
        app.MapGrpcService<ProbeGrpcService>();
        await app.StartAsync();
        return new TestServiceHost(app, logs);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>Every log entry the host writes, to assert what is (and is not) logged.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> entries = new();

    public IReadOnlyCollection<LogEntry> Entries => entries;

    public ILogger CreateLogger(string categoryName) => new Logger(entries);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(logLevel, eventId, formatter(state, exception), exception));
    }
}

public sealed record LogEntry(LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>A host started by <see cref="TestServiceHost.StartOnKestrelAsync"/>, with its two ports.</summary>
public sealed record KestrelHost(WebApplication App, int GrpcPort, int HttpPort) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => App.DisposeAsync();
}
