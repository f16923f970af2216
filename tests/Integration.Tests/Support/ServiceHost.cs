using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.TestSupport;
using Grpc.Net.Client;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.Integration.Tests.Support;

/// <summary>
/// One service as its Program.cs composes it, on real Kestrel (free loopback ports), migrated by its own
/// <c>migrate</c> verb (database and RabbitMQ queues) before it serves, as the release step does.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly List<GrpcChannel> channels = [];

    private ServiceHost(WebApplication app, int grpcPort)
    {
        this.app = app;
        Address = new Uri($"http://127.0.0.1:{grpcPort}");
    }

    /// <summary>The gRPC (h2c) address.</summary>
    public Uri Address { get; }

    /// <summary>The endpoints the service maps (each gRPC method with its authorization metadata).</summary>
    public IEnumerable<Endpoint> Endpoints => ((IEndpointRouteBuilder)app).DataSources.SelectMany(source => source.Endpoints);

    /// <param name="settings">Configuration on top of the service's appsettings (ports are added here).</param>
    /// <param name="compose">What Program.cs does between CreateBuilder and Build, and after Build.</param>
    /// <param name="run">The service's Run…Async(args), called with the migrate verb.</param>
    /// <param name="waitForBus">Whether starting waits for the bus (not when its broker is down on purpose).</param>
    /// <param name="release">Whether this start follows a release (migrate first) or is a restart of a migrated service.</param>
    public static async Task<ServiceHost> StartAsync(
        IDictionary<string, string?> settings,
        Action<WebApplicationBuilder> compose,
        Action<WebApplication> map,
        Func<WebApplication, string[], Task<int>> run,
        bool waitForBus = true,
        bool release = true)
    {
        var grpcPort = TestInfrastructure.FreePort();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hosting:GrpcPort"] = grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hosting:HttpPort"] = TestInfrastructure.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        compose(builder);

        // Serving starts once the bus is connected (its queues already exist after migrate).
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = waitForBus);
        var app = builder.Build();
        map(app);
        if (release)
        {
            Assert.Equal(0, await run(app, ["migrate"]));
        }

        await app.StartAsync();
        return new ServiceHost(app, grpcPort);
    }

    /// <summary>A gRPC channel acting for <paramref name="organisation"/> with a development token.</summary>
    public GrpcChannel Channel(string organisation, params string[] scopes)
    {
        var token = DevelopmentTokens.Mint(organisation, scopes, TimeSpan.FromHours(1));
        var channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions
        {
            HttpHandler = new BearerToken(token) { InnerHandler = new SocketsHttpHandler() },
        });
        channels.Add(channel);
        return channel;
    }

    public async ValueTask DisposeAsync()
    {
        channels.ForEach(channel => channel.Dispose());
        await app.StopAsync();
        await app.DisposeAsync();
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
