using Egov.Steering.Access;
using Egov.Steering.Audit.V1;
using Egov.Steering.BuildingBlocks.Tests.Idempotency;
using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.Writes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.BuildingBlocks.Tests.Audit;

/// <summary>
/// A service in miniature over the real gRPC pipeline (TestServer): the steering authentication, the error mapping
/// and AuditService (with the audit of refused calls) on a real PostgreSQL database.
/// </summary>
public sealed class AuditTestHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly GrpcChannel channel;

    private AuditTestHost(WebApplication app, string database)
    {
        this.app = app;
        Database = database;
        var server = app.GetTestServer();
        channel = GrpcChannel.ForAddress(server.BaseAddress, new GrpcChannelOptions { HttpHandler = server.CreateHandler() });
        Client = new AuditService.AuditServiceClient(channel);
    }

    public AuditService.AuditServiceClient Client { get; }

    /// <summary>A plain HTTP client of the same server (for the <c>/caller</c> endpoint).</summary>
    public HttpClient Http => app.GetTestServer().CreateClient();

    public string Database { get; }

    /// <summary>Starts the host; <paramref name="settings"/> are configuration entries such as <c>Auth:SigningKeys:0</c>.</summary>
    /// <param name="time">The clock of the refusal audit's rate limit.</param>
    public static async Task<AuditTestHost> StartAsync(
        string environment = "Development", IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var database = await WriteTestContext.CreateDatabaseAsync();
        var app = Build(environment, database, settings, time);
        await app.StartAsync();
        return new AuditTestHost(app, database);
    }

    /// <summary>The host, not started (for start-up failures).</summary>
    public static WebApplication Build(
        string environment, string database, IReadOnlyDictionary<string, string?>? settings, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddSteeringAuthentication();
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<ExceptionMappingInterceptor>());
        builder.Services.AddDbContext<WriteTestContext>(options => options.UseNpgsql(database).UseSnakeCaseNamingConvention());
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        builder.Services.AddRefusedCallAudit<WriteTestContext>();
        var app = builder.Build();
        app.MapAuditService<WriteTestContext>();
        // What a service's write method sees of its caller, behind the write policy.
        app.MapGet("/caller", (Caller caller) => $"{caller.Organisation} {caller.Subject} {caller.IsAdmin}")
            .RequireAuthorization(SteeringPolicies.Write);
        return app;
    }

    public static Metadata Bearer(string token) => new() { { "Authorization", $"Bearer {token}" } };

    public static string AdminToken() =>
        DevelopmentTokens.Mint("national", [SteeringScopes.Admin], TimeSpan.FromMinutes(10), "operator");

    public async ValueTask DisposeAsync()
    {
        channel.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
