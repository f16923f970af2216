using System.Net;
using Egov.Steering.ServiceDefaults;
using Egov.Steering.Testing.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>Prometheus metrics on the HTTP port, and the resource the environment (the chart) describes.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Metrics_are_scraped_on_the_http_port_and_not_on_the_grpc_port()
    {
        await using var host = await TestServiceHost.StartOnKestrelAsync();
        var (app, grpcPort, httpPort) = (host.App, host.GrpcPort, host.HttpPort);

        // One gRPC call, so that the server's request metrics have something to report.
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());

        using var http = new HttpClient();
        using var scrape = await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/metrics"));
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var body = await scrape.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", body, StringComparison.Ordinal);
        Assert.Contains("/grpc.health.v1.Health/Check", body, StringComparison.Ordinal);

        // The gRPC port is the one exposed outside the cluster: /metrics is not served there (no endpoint matches,
        // so the fallback policy answers 401).
        using var onGrpcPort = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{httpPort}/metrics"));
        onGrpcPort.Headers.Host = $"127.0.0.1:{grpcPort}";
        using var refused = await http.SendAsync(onGrpcPort);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.DoesNotContain("# TYPE", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await app.StopAsync();
    }

    [Fact]
    public async Task Each_host_of_a_process_exports_only_what_it_measured()
    {
        // Two services in one process, as in the tests and benchmarks: OpenTelemetry subscribes to meters by name.
        await using var measured = await TestServiceHost.StartOnKestrelAsync();
        await using var quiet = await TestServiceHost.StartOnKestrelAsync();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{measured.GrpcPort}");
        await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        var refused = await Assert.ThrowsAsync<RpcException>(() => new ProbeService.ProbeServiceClient(channel).FailAsync(new FailRequest()).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, refused.StatusCode);

        var measuredMetrics = await ScrapeAsync(measured.HttpPort);
        Assert.Contains("/grpc.health.v1.Health/Check", measuredMetrics, StringComparison.Ordinal);
        Assert.Contains("steering_rpc_refused_total{", measuredMetrics, StringComparison.Ordinal);
        var quietMetrics = await ScrapeAsync(quiet.HttpPort);
        Assert.DoesNotContain("/grpc.health.v1.Health/Check", quietMetrics, StringComparison.Ordinal);
        Assert.DoesNotContain("steering_rpc_refused_total{", quietMetrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_environments_resource_attributes_win_over_the_services_defaults()
    {
        var builder = TestServiceHost.CreateBuilder(
            new Dictionary<string, string?>
            {
                ["OTEL_SERVICE_NAME"] = "membership",
                ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=membership-7d9f-abcde,deployment.environment.name=staging,service.namespace=egov-steering",
            },
            environment: "Production");
        builder.AddServiceDefaults();
        await using var app = builder.Build();

        foreach (var provider in new BaseProvider[] { app.Services.GetRequiredService<MeterProvider>(), app.Services.GetRequiredService<TracerProvider>() })
        {
            var attributes = provider.GetResource().Attributes.ToDictionary(pair => pair.Key, pair => pair.Value.ToString());
            Assert.Equal("membership", attributes["service.name"]);
            Assert.Equal("membership-7d9f-abcde", attributes["service.instance.id"]);
            Assert.Equal("staging", attributes["deployment.environment.name"]);
            Assert.Equal("egov-steering", attributes["service.namespace"]);
        }
    }

    [Fact]
    public async Task Without_the_environments_attributes_the_service_describes_itself()
    {
        var builder = TestServiceHost.CreateBuilder(environment: "Staging");
        builder.AddServiceDefaults();
        await using var app = builder.Build();

        var attributes = app.Services.GetRequiredService<MeterProvider>().GetResource().Attributes.ToDictionary(pair => pair.Key, pair => pair.Value.ToString());
        Assert.Equal(builder.Environment.ApplicationName, attributes["service.name"]);
        Assert.Equal("Staging", attributes["deployment.environment.name"]);
        Assert.False(string.IsNullOrEmpty(attributes["service.instance.id"]));
    }

    private static async Task<string> ScrapeAsync(int httpPort)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{httpPort}/metrics"));
    }
}
