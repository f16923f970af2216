using System.Net.Security;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using Egov.Steering.Access;
using Egov.Steering.TestSupport;
using Grpc.AspNetCore.Server;
using Grpc.Net.Client;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Egov.Steering.Integration.Tests.Support;

/// <summary>
/// One service as its Program.cs composes it, on real Kestrel (free loopback ports), migrated by its own
/// <c>migrate</c> verb (database and RabbitMQ queues) before it serves, as the release step does.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly List<GrpcChannel> channels = [];
    private readonly X509Certificate2Collection trustedAuthorities;

    private ServiceHost(string name, WebApplication app, int grpcPort, int httpPort, X509Certificate2Collection trustedAuthorities)
    {
        HttpAddress = new Uri($"http://127.0.0.1:{httpPort}");
        this.app = app;
        this.trustedAuthorities = trustedAuthorities;
        Name = name;
        Address = new Uri($"{(app.Configuration["Tls:CertificatePath"] is { Length: > 0 } ? "https" : "http")}://127.0.0.1:{grpcPort}");
    }

    /// <summary>The service's name ("membership", "decisions", "notifications").</summary>
    public string Name { get; }

    /// <summary>The HTTP/1.1 address: probes, the Prometheus /metrics endpoint, and what a browser reaches.</summary>
    public Uri HttpAddress { get; }

    /// <summary>The gRPC address: h2c, or https when the service has a <c>Tls</c> certificate.</summary>
    public Uri Address { get; }

    /// <summary>
    /// Every gRPC service this host maps (its own, AuditService, health, reflection), as the descriptors of the
    /// generated code: tests generated from them cover a new RPC without a change. Methods bound by a class of
    /// their own (pre-serialized answers) belong to a service some generated implementation maps too.
    /// </summary>
    public IReadOnlyList<ServiceDescriptor> GrpcServices
    {
        get
        {
            var methods = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
                .Select(endpoint => endpoint.Metadata.GetMetadata<GrpcMethodMetadata>())
                .OfType<GrpcMethodMetadata>()
                .ToList();
            var services = methods.Select(method => method.ServiceType).Distinct()
                .Select(DescriptorOf).OfType<ServiceDescriptor>()
                .DistinctBy(service => service.FullName)
                .ToList();
            var unknown = methods.Select(method => method.Method.ServiceName).Except(services.Select(service => service.FullName)).ToList();
            return unknown.Count == 0
                ? services
                : throw new InvalidOperationException($"no generated implementation maps {string.Join(", ", unknown)}");
        }
    }

    public IServiceProvider Services => app.Services;

    public override string ToString() => Name;

    /// <param name="name">The service's name, for messages.</param>
    /// <param name="settings">Configuration on top of the service's appsettings (free ports are added here unless it names them).</param>
    /// <param name="compose">What Program.cs does between CreateBuilder and Build, and after Build.</param>
    /// <param name="run">The service's Run…Async(args), called with the migrate verb.</param>
    /// <param name="waitForBus">Whether starting waits for the bus (not when its broker is down on purpose).</param>
    /// <param name="release">Whether this start follows a release (migrate first) or is a restart of a migrated service.</param>
    public static async Task<ServiceHost> StartAsync(
        string name,
        IDictionary<string, string?> settings,
        Action<WebApplicationBuilder> compose,
        Action<WebApplication> map,
        Func<WebApplication, string[], Task<int>> run,
        bool waitForBus = true,
        bool release = true)
    {
        var grpcPort = PortOf(settings, "Hosting:GrpcPort");
        var httpPort = PortOf(settings, "Hosting:HttpPort");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hosting:GrpcPort"] = grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hosting:HttpPort"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
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
        var authorities = new X509Certificate2Collection();
        if (app.Configuration["Tls:CaPath"] is { Length: > 0 } caPath)
        {
            authorities.ImportFromPemFile(caPath);
        }

        return new ServiceHost(name, app, grpcPort, httpPort, authorities);
    }

    // A port the caller chose (another service's settings name it before it starts), else a free one.
    private static int PortOf(IDictionary<string, string?> settings, string key) =>
        settings.TryGetValue(key, out var port) && port is not null
            ? int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)
            : TestInfrastructure.FreePort();

    /// <summary>A gRPC channel acting for <paramref name="organisation"/> with a development token.</summary>
    public GrpcChannel Channel(string organisation, params string[] scopes) =>
        Channel(DevelopmentTokens.Mint(organisation, scopes, TimeSpan.FromHours(1)));

    /// <summary>
    /// A gRPC channel sending <paramref name="bearerToken"/> as it is (any claims, any key), or no token when null; over
    /// TLS it trusts the service's <c>Tls:CaPath</c> and presents <paramref name="clientCertificate"/>, if any.
    /// </summary>
    public GrpcChannel Channel(string? bearerToken, X509Certificate2? clientCertificate = null)
    {
        HttpMessageHandler handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => trustedAuthorities.Count == 0
                    ? errors == SslPolicyErrors.None
                    : IssuedByTrustedAuthority(new X509Certificate2(certificate!)),
            },
        };
        if (bearerToken is not null)
        {
            handler = new BearerToken(bearerToken) { InnerHandler = handler };
        }

        var channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions { HttpHandler = handler });
        channels.Add(channel);
        return channel;
    }

    public async ValueTask DisposeAsync()
    {
        channels.ForEach(channel => channel.Dispose());
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private bool IssuedByTrustedAuthority(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedAuthorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    // The generated base class (MembershipService.MembershipServiceBase) is nested in the class holding the descriptor.
    private static ServiceDescriptor? DescriptorOf(Type implementation)
    {
        for (var type = implementation; type is not null; type = type.BaseType)
        {
            if (type.DeclaringType?.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is ServiceDescriptor descriptor)
            {
                return descriptor;
            }
        }

        return null;
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
