using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Net.Client;
using Grpc.Net.Compression;
using Microsoft.AspNetCore.TestHost;
using Egov.Steering.Caching;
using Egov.Steering.ServiceDefaults.Health;
using Egov.Steering.ServiceDefaults.Serialized;
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

    [Fact]
    public async Task A_check_arriving_in_pieces_is_answered_and_a_malformed_one_refused_as_invalid()
    {
        await using var host = await StartAsync(await TestInfrastructure.CreateDatabaseAsync("health"));
        await Eventually.WaitUntilAsync(async () => await CheckAsync(host) == ServingStatus.Serving, "readiness is published");
        var liveness = GrpcMessageFrame.Of(new HealthCheckRequest { Service = HealthExtensions.LivenessServiceName }.ToByteArray());

        var (status, body) = await RawCheckAsync(host, new PiecesContent(liveness[..3], liveness[3..7], liveness[7..]));
        Assert.Equal("0", status);
        Assert.Equal(GrpcMessageFrame.Of(new HealthCheckResponse { Status = ServingStatus.Serving }.ToByteArray()), body);

        // Not a HealthCheckRequest (a string field of 5 bytes holding 1): left to Grpc.AspNetCore, refused as any malformed call is.
        var (refused, _) = await RawCheckAsync(host, new ByteArrayContent(GrpcMessageFrame.Of([0x0A, 0x05, 0x41])));
        Assert.Equal(((int)Grpc.Core.StatusCode.InvalidArgument).ToString(System.Globalization.CultureInfo.InvariantCulture), refused);
    }

    [Fact]
    public async Task A_compressed_check_is_answered_by_the_health_service_as_a_plain_one()
    {
        await using var host = await StartAsync(await TestInfrastructure.CreateDatabaseAsync("health"));
        using var channel = GrpcChannel.ForAddress(host.App.GetTestServer().BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = host.App.GetTestServer().CreateHandler(),
            CompressionProviders = [new GzipCompressionProvider(CompressionLevel.Fastest)],
        });
        var gzip = new Grpc.Core.Metadata { { "grpc-internal-encoding-request", "gzip" } };

        var answer = await new Health.HealthClient(channel).CheckAsync(
            new HealthCheckRequest { Service = HealthExtensions.LivenessServiceName }, gzip);

        Assert.Equal(ServingStatus.Serving, answer.Status);
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

    /// <summary>A check as a client library sends it, over the test server's HTTP/2; the grpc-status and the body.</summary>
    private static async Task<(string? GrpcStatus, byte[] Body)> RawCheckAsync(TestServiceHost host, HttpContent content)
    {
        using var client = new HttpClient(host.App.GetTestServer().CreateHandler()) { BaseAddress = host.App.GetTestServer().BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/grpc.health.v1.Health/Check", UriKind.Relative))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer.Single()
            : response.Headers.TryGetValues("grpc-status", out var header) ? header.Single() : null;
        return (status, body);
    }

    /// <summary>A body written in separate pieces, each flushed before the next: the server reads it in several reads.</summary>
    private sealed class PiecesContent(params byte[][] pieces) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            foreach (var piece in pieces)
            {
                await stream.WriteAsync(piece);
                await stream.FlushAsync();
                await Task.Delay(50);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private static async Task<ServingStatus> CheckAsync(TestServiceHost host, string service = "") =>
        (await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest { Service = service })).Status;
}
