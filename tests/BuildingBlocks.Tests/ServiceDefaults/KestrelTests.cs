using System.Net;
using Egov.Steering.ServiceDefaults;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>The real Kestrel endpoints: gRPC over cleartext HTTP/2 on one port, probes over HTTP/1.1 on the other.</summary>
public sealed class KestrelTests
{
    [Fact]
    public async Task Grpc_is_served_over_h2c_and_probes_over_http_1_1()
    {
        await using var host = await TestServiceHost.StartOnKestrelAsync();
        var (app, grpcPort, httpPort) = (host.App, host.GrpcPort, host.HttpPort);

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        using var http = new HttpClient();
        using var liveness = await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/healthz"));
        Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        Assert.Equal(new Version(1, 1), liveness.Version);

        await app.StopAsync();
    }
}
