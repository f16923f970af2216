using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Egov.Steering.Access;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults;
using Egov.Steering.ServiceDefaults.Web;
using Egov.Steering.Storage;
using Egov.Steering.TestSupport;
using Egov.Steering.Testing.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>
/// Prometheus metrics on the HTTP port, the resource the environment (the chart) describes, spans recorded for the
/// exporter, and logs through OpenTelemetry only when they are exported. Run with no other test beside them: an
/// activity is recorded if any listener in the process samples it, and OpenTelemetry listens to ActivitySources by
/// name, so another test's host would record the spans these tests expect a sampler to leave unrecorded.
/// </summary>
[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests
{
    [Fact]
    public async Task Metrics_are_scraped_on_the_http_port_and_not_on_the_grpc_port()
    {
        await using var host = await TestServiceHost.StartOnKestrelAsync();
        var (app, grpcPort, httpPort) = (host.App, host.GrpcPort, host.HttpPort);

        // One gRPC call of a caller, so that the server's request metrics have something to report, and probes, which they leave out.
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var caller = new Metadata { { "Authorization", "Bearer " + DevelopmentTokens.Mint(Organisations.National, [SteeringScopes.Read], TimeSpan.FromHours(1)) } };
        var failed = await Assert.ThrowsAsync<RpcException>(() =>
            new ProbeService.ProbeServiceClient(channel).FailAsync(new FailRequest { Failure = "not_found" }, caller).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.NotFound, failed.StatusCode);
        await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        using var http = new HttpClient();
        using var liveness = await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/healthz"));
        using var readiness = await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/readyz"));

        using var scrape = await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/metrics"));
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var body = await scrape.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", body, StringComparison.Ordinal);
        Assert.Contains("/egov.steering.testing.v1.ProbeService/Fail", body, StringComparison.Ordinal);
        Assert.DoesNotContain("/grpc.health.v1.Health", body, StringComparison.Ordinal);
        Assert.DoesNotContain("/healthz", body, StringComparison.Ordinal);
        Assert.DoesNotContain("/readyz", body, StringComparison.Ordinal);
        // The caller's call is the only request measured: a probe answered ahead of routing names no route, so a
        // measure of it would be a request without http_route here.
        Assert.Equal(1, RequestsMeasured(body));
        // What is measured per buffer or per request and read by no dashboard is not exported (nor measured).
        Assert.DoesNotContain("aspnetcore_memory_pool_", body, StringComparison.Ordinal);
        Assert.DoesNotContain("kestrel_queued_requests", body, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_routing_match_attempts", body, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_authentication_", body, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_authorization_", body, StringComparison.Ordinal);
        Assert.Contains("kestrel_active_connections", body, StringComparison.Ordinal);

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
        var refused = await Assert.ThrowsAsync<RpcException>(() => new ProbeService.ProbeServiceClient(channel).FailAsync(new FailRequest()).ResponseAsync);
        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, refused.StatusCode);

        var measuredMetrics = await ScrapeAsync(measured.HttpPort);
        Assert.Contains("/egov.steering.testing.v1.ProbeService/Fail", measuredMetrics, StringComparison.Ordinal);
        Assert.Contains("steering_rpc_refused_total{", measuredMetrics, StringComparison.Ordinal);
        var quietMetrics = await ScrapeAsync(quiet.HttpPort);
        Assert.DoesNotContain("/egov.steering.testing.v1.ProbeService/Fail", quietMetrics, StringComparison.Ordinal);
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

    private static double RequestsMeasured(string scrape) => scrape.Split('\n')
        .Where(line => line.StartsWith("http_server_request_duration_seconds_count", StringComparison.Ordinal))
        .Sum(line => double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task With_an_OTLP_endpoint_a_calls_span_is_recorded_in_the_callers_trace()
    {
        // Nothing listens there: the exporter fails quietly in the background, the span is recorded all the same.
        var trace = ActivityTraceId.CreateRandom();
        var span = await ServerSpanAsync(
            new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{TestInfrastructure.FreePort()}" }, trace);

        Assert.True(span.Recorded);
        Assert.True(span.IsAllDataRequested);
        Assert.Equal(trace, span.TraceId);
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("1", true)]
    public async Task With_a_trace_sample_ratio_a_trace_that_starts_in_the_service_is_recorded_at_that_ratio(string ratio, bool recorded)
    {
        // As the chart sets them (telemetry.traceSampleRatio).
        var span = await ServerSpanAsync(new Dictionary<string, string?>
        {
            ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio",
            ["OTEL_TRACES_SAMPLER_ARG"] = ratio,
        });

        Assert.Equal(recorded, span.Recorded);
        Assert.NotEqual(default, span.TraceId); // unrecorded, it still carries a trace for the logs and the events
    }

    [Fact]
    public async Task A_PostgreSQL_statement_is_traced_once_by_the_driver()
    {
        await using var host = await TestServiceHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "PostgreSQL",
                ["ConnectionStrings:Database"] = await TestInfrastructure.CreateDatabaseAsync("telemetry"),
            },
            builder => builder.AddServiceDbContext<NotesDbContext>());
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            // Npgsql's own source, and the one EF Core's instrumentation reported the same statements through.
            ShouldListenTo = source => source.Name is "Npgsql" or "OpenTelemetry.Instrumentation.EntityFrameworkCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotesDbContext>();
            await db.Database.EnsureCreatedAsync();
            Assert.Equal(0, await db.Notes.CountAsync());
        }

        var recorded = stopped.Where(span => span.Recorded).ToList();
        var count = Assert.Single(recorded, span => span.Tags.Any(tag => tag.Value?.Contains("FROM notes", StringComparison.Ordinal) == true));
        Assert.Equal("Npgsql", count.Source.Name);
        Assert.All(recorded, span => Assert.Equal("Npgsql", span.Source.Name));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Logs_go_through_OpenTelemetry_only_when_an_OTLP_endpoint_exports_them(bool otlp)
    {
        var builder = TestServiceHost.CreateBuilder(otlp ? new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317" } : null);
        builder.AddServiceDefaults();
        await using var app = builder.Build();

        Assert.Equal(otlp, app.Services.GetServices<ILoggerProvider>().Any(provider => provider is OpenTelemetryLoggerProvider));
    }

    /// <summary>
    /// One request (the OpenAPI document: probes are never traced) to a host on Kestrel, from a client span of
    /// <paramref name="callersTrace"/> (the W3C traceparent travels in the HTTP request) or, without one, starting its
    /// own trace; the server's ASP.NET Core span of it, seen through the host's own activity source by a listener that
    /// adds no recording itself.
    /// </summary>
    private static async Task<Activity> ServerSpanAsync(IDictionary<string, string?> settings, ActivityTraceId? callersTrace = null)
    {
        await using var host = await TestServiceHost.StartOnKestrelAsync(settings);
        var hosting = host.App.Services.GetRequiredService<ActivitySource>();
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, hosting),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        using var http = new HttpClient();
        using (callersTrace is { } trace ? new Activity("client").SetParentId(trace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start() : null)
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{host.HttpPort}{HttpApiExtensions.OpenApiPath}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await host.App.StopAsync();
        return Assert.Single(stopped);
    }
}

[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryTestsCollection;
