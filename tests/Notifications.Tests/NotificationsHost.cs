using Egov.Steering.Access;
using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults;
using Egov.Steering.Storage;
using Egov.Steering.TestSupport;
using Grpc.Core;
using Grpc.Net.Client;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.Notifications.Tests;

/// <summary>
/// The Notifications service as Program.cs builds it, on TestServer, with the real PostgreSQL and RabbitMQ: a queue
/// prefix and a public exchange of its own (kept across a restart with the same <see cref="HostSetup"/>).
/// </summary>
public sealed class NotificationsHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private NotificationsHost(WebApplication app, HostSetup setup, int? kestrelPort)
    {
        _app = app;
        Setup = setup;
        if (kestrelPort is { } port)
        {
            _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        }
        else
        {
            var server = app.GetTestServer();
            _channel = GrpcChannel.ForAddress(server.BaseAddress, new GrpcChannelOptions { HttpHandler = server.CreateHandler() });
        }

        Client = new NotificationsService.NotificationsServiceClient(_channel);
    }

    public HostSetup Setup { get; }

    /// <summary>An HTTP client of the TestServer (the JSON/HTTP API, the event stream).</summary>
    public HttpClient CreateHttpClient() => _app.GetTestServer().CreateClient();

    public NotificationsService.NotificationsServiceClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static Metadata ReadToken { get; } = Bearer(DevelopmentTokens.Mint("national", [SteeringScopes.Read], TimeSpan.FromHours(1), "dashboard"));

    public static Metadata WriteToken { get; } = Bearer(DevelopmentTokens.Mint("national", [SteeringScopes.Write], TimeSpan.FromHours(1), "dashboard"));

    public static Metadata AdminToken { get; } = Bearer(DevelopmentTokens.Mint("national", [SteeringScopes.Admin], TimeSpan.FromHours(1), "operator"));

    public static Metadata Bearer(string token) => new() { { "Authorization", $"Bearer {token}" } };

    public static async Task<HostSetup> NewSetupAsync(IReadOnlyDictionary<string, string?>? settings = null) => new(
        await TestInfrastructure.CreateDatabaseAsync("notifications"),
        "test-" + Guid.NewGuid().ToString("N")[..12],
        settings ?? new Dictionary<string, string?>());

    /// <summary>
    /// Starts the service on TestServer, or with <paramref name="overKestrel"/> on real loopback ports (where HTTP/2
    /// flow control pushes back on a client that does not read); <paramref name="services"/> adds to its services.
    /// </summary>
    public static async Task<NotificationsHost> StartAsync(HostSetup setup, bool overKestrel = false, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        int? kestrelPort = overKestrel ? TestInfrastructure.FreePort() : null;
        if (kestrelPort is { } port)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Hosting:GrpcPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Hosting:HttpPort"] = TestInfrastructure.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSQL",
            ["ConnectionStrings:Database"] = setup.Database,
            ["Bus:Transport"] = "RabbitMQ",
            ["ConnectionStrings:RabbitMQ"] = TestInfrastructure.RabbitMqUri.ToString(),
            ["Cache:Provider"] = "Memory",
            ["Messaging:EndpointPrefix"] = setup.Prefix,
            ["Messaging:TopologyPrefix"] = setup.Prefix,
            ["Messaging:RetryLimit"] = "20",
            ["Messaging:RetryMinInterval"] = "00:00:00.020",
            ["Messaging:RetryMaxInterval"] = "00:00:00.200",
            ["Notifications:PublicExchange:Exchange"] = setup.Exchange,
            ["Notifications:Feed:HeartbeatInterval"] = "00:00:00.200",
            ["Notifications:Feed:PollInterval"] = "00:00:00.200",
            ["Notifications:Webhooks:PollInterval"] = "00:00:00.100",
        });
        builder.Configuration.AddInMemoryCollection(setup.Settings);
        builder.AddServiceDefaults();
        builder.AddNotifications();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapNotifications();
        await app.MigrateDatabaseAsync<NotificationsDbContext>();
        await app.StartAsync();
        await app.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromMinutes(1));
        return new NotificationsHost(app, setup, kestrelPort);
    }

    /// <summary>
    /// Sends events over the real broker straight to this service's queue (other tests' services never see them),
    /// through the exchange of the same name bound to it: a <c>queue:</c> address would declare the queue again as a
    /// classic queue, which RabbitMQ refuses for the service's quorum queue.
    /// </summary>
    public async Task SendAsync(params IEnumerable<EventEnvelope> envelopes)
    {
        var endpoint = await _app.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"exchange:{Setup.Prefix}-event-log"));
        foreach (var envelope in envelopes)
        {
            await endpoint.Send(envelope, context => context.MessageId = Guid.Parse(envelope.Id));
        }
    }

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What a host (and its restart) runs against: its database, queue prefix and public exchange.</summary>
public sealed record HostSetup(string Database, string Prefix, IReadOnlyDictionary<string, string?> Settings)
{
    public string Exchange => Prefix + ".events";
}
