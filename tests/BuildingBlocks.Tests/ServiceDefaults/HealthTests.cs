using System.Net;
using System.Text.Json;
using Egov.Steering.Caching;
using Egov.Steering.ServiceDefaults.Health;
using Egov.Steering.Storage;
using Egov.Steering.TestSupport;
using Grpc.Health.V1;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>
/// Probes as Kubernetes and load balancers use them, against a real PostgreSQL and Redis: readiness follows what
/// the service cannot work without (its database), while a Redis outage only degrades it.
/// </summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Ready_and_serving_when_the_database_answers()
    {
        await using var host = await StartAsync(await TestInfrastructure.CreateDatabaseAsync("health"));

        Assert.Equal(HttpStatusCode.OK, await LivenessAsync(host));
        var (code, report) = await ReadinessAsync(host);
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("Healthy", Status(report, nameof(NotesDbContext)));
        Assert.Equal(ServingStatus.Serving, await CheckAsync(host));
    }

    [Fact]
    public async Task Alive_but_not_serving_when_the_database_is_unreachable()
    {
        var unreachable = $"Host=127.0.0.1;Port={TestInfrastructure.FreePort()};Username=postgres;Database=postgres;Timeout=5";
        await using var host = await StartAsync(unreachable);

        Assert.Equal(HttpStatusCode.OK, await LivenessAsync(host));
        var (code, report) = await ReadinessAsync(host);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("Unhealthy", Status(report, nameof(NotesDbContext)));
        Assert.Equal(ServingStatus.NotServing, await CheckAsync(host));
        Assert.Equal(ServingStatus.Serving, await CheckAsync(host, HealthExtensions.LivenessServiceName));
    }

    [Fact]
    public async Task Redis_down_is_reported_degraded_while_still_serving()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync("health");
        await using var host = await StartAsync(database, redis: $"127.0.0.1:{TestInfrastructure.FreePort()},connectTimeout=1000");

        var (code, report) = await ReadinessAsync(host);
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("Degraded", report.RootElement.GetProperty("status").GetString());
        Assert.Equal("Degraded", Status(report, "redis"));
        Assert.Equal("Healthy", Status(report, nameof(NotesDbContext)));
        Assert.Equal(ServingStatus.Serving, await CheckAsync(host));
    }

    [Fact]
    public async Task An_unknown_service_is_not_found_and_watch_streams_the_same_status()
    {
        await using var host = await StartAsync(await TestInfrastructure.CreateDatabaseAsync("health"));
        var client = new Health.HealthClient(host.Channel);

        var unknown = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() =>
            client.CheckAsync(new HealthCheckRequest { Service = "egov.steering.unknown.v1.Nothing" }).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.NotFound, unknown.StatusCode);

        await Eventually.WaitUntilAsync(async () => await CheckAsync(host) == ServingStatus.Serving, "readiness is published");
        using var watch = client.Watch(new HealthCheckRequest { Service = HealthExtensions.LivenessServiceName });
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(ServingStatus.Serving, watch.ResponseStream.Current.Status);
    }

    [Fact]
    public async Task Redis_up_is_healthy()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync("health");
        await using var host = await StartAsync(database, redis: TestInfrastructure.RedisConfiguration);

        // The connection opens in the background after start. Asserted on the read that saw it: the checks run again in
        // the background, and on a loaded machine a later run can time out (Degraded, still serving).
        var read = await ReadinessAsync(host);
        await Eventually.WaitUntilAsync(
            async () => Status((read = await ReadinessAsync(host)).Report, "redis") == "Healthy", "Redis is reported healthy");
        Assert.Equal(HttpStatusCode.OK, read.Code);
        Assert.Equal("Healthy", Status(read.Report, "redis"));
    }

    private static Task<TestServiceHost> StartAsync(string database, string? redis = null) =>
        TestServiceHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "PostgreSQL",
                ["ConnectionStrings:Database"] = database,
                ["Cache:Provider"] = redis is null ? "Memory" : "Redis",
                ["ConnectionStrings:Redis"] = redis,
            },
            builder => builder.AddServiceDbContext<NotesDbContext>().AddServiceCache());

    private static async Task<HttpStatusCode> LivenessAsync(TestServiceHost host)
    {
        using var client = host.CreateHttpClient();
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        return response.StatusCode;
    }

    private static async Task<(HttpStatusCode Code, JsonDocument Report)> ReadinessAsync(TestServiceHost host)
    {
        using var client = host.CreateHttpClient();
        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static string? Status(JsonDocument report, string check) =>
        report.RootElement.GetProperty("checks").GetProperty(check).GetProperty("status").GetString();

    private static async Task<ServingStatus> CheckAsync(TestServiceHost host, string service = "") =>
        (await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest { Service = service })).Status;
}
