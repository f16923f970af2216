using System.Collections.Concurrent;
using Egov.Steering.ServiceDefaults;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
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
        Channel = GrpcChannel.ForAddress(
            app.GetTestServer().BaseAddress,
            new GrpcChannelOptions { HttpHandler = app.GetTestServer().CreateHandler() });
    }

    public WebApplication App { get; }

    public GrpcChannel Channel { get; }

    public CapturedLogs Logs { get; }

    public HttpClient CreateHttpClient() => App.GetTestServer().CreateClient();

    /// <summary>Embedded-mode switches unless <paramref name="settings"/> overrides them.</summary>
    public static WebApplicationBuilder CreateBuilder(
        IDictionary<string, string?>? settings = null,
        string environment = "Testing",
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

        builder.WebHost.UseTestServer();
        return builder;
    }

    public static async Task<TestServiceHost> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var builder = CreateBuilder(settings);
        var logs = new CapturedLogs();
        builder.Logging.AddProvider(logs);
        builder.AddServiceDefaults();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
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
