using System.Diagnostics.Metrics;
using System.Reflection;
using Egov.Steering.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Egov.Steering.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>ActivitySource and Meter name of MassTransit 8 (publish, send, consume spans and bus metrics).</summary>
    public const string MassTransitSource = "MassTransit";

    /// <summary>RabbitMQ.Client 7's ActivitySources: a span per publish and per delivery, with W3C context in the headers.</summary>
    public static readonly string[] RabbitMqClientSources = ["RabbitMQ.Client.Publisher", "RabbitMQ.Client.Subscriber"];

    /// <summary>Path of the Prometheus scrape endpoint, served on the HTTP port (<see cref="KestrelExtensions.HttpPortKey"/>).</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
    /// set (the standard OTEL_* variables configure the rest); metrics are also scraped at <see cref="MetricsPath"/>
    /// (<see cref="MapServiceMetrics"/>). The resource carries service.name (the application name),
    /// service.version and deployment.environment.name (the host's environment) unless the environment sets them:
    /// <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c> (the chart's pod identity) win.
    /// </summary>
    public static IHostApplicationBuilder AddServiceTelemetry(this IHostApplicationBuilder builder)
    {
        var exportsOverOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (exportsOverOtlp)
        {
            // Without OTLP the console is the logs' only reader: an OpenTelemetry logger would only add work to every log call.
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });
        }

        var version = Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(builder.Environment.ApplicationName, serviceVersion: version)
                .AddAttributes([new("deployment.environment.name", builder.Environment.EnvironmentName)])
                // Read again last: a later attribute replaces an earlier one, and the environment's must win.
                .AddEnvironmentVariableDetector())
            .WithMetrics(metrics => metrics
                .AddPrometheusExporter()
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter("System.Runtime", "Grpc.AspNetCore.Server", "Grpc.Net.Client", "Microsoft.EntityFrameworkCore", MassTransitSource, ServiceMetrics.MeterName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsProbe(context.Request.Path))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation()
                .AddSource(MassTransitSource)
                .AddSource(RabbitMqClientSources));

        // OpenTelemetry subscribes to meters by name, so a provider would also count what another host in the same
        // process (a test, a benchmark) measures: instruments of a meter another host's IMeterFactory made are not ours.
        builder.Services.ConfigureOpenTelemetryMeterProvider((services, metrics) =>
        {
            var ours = services.GetRequiredService<IMeterFactory>();
            metrics.AddView(instrument =>
                (instrument.Meter.Scope is IMeterFactory factory && factory != ours) || IsUnread(instrument) ? MetricStreamConfiguration.Drop : null);
        });

        if (exportsOverOtlp)
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Adds a service's own ActivitySources and Meters (same names) to what is traced and measured.</summary>
    public static IHostApplicationBuilder AddTelemetrySources(this IHostApplicationBuilder builder, params string[] names)
    {
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(names));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(names));
        return builder;
    }

    /// <summary>
    /// The Prometheus scrape endpoint at <see cref="MetricsPath"/>, on the HTTP port only: the gRPC port is the one
    /// reachable from outside the cluster.
    /// </summary>
    public static WebApplication MapServiceMetrics(this WebApplication app)
    {
        // 8081: ConfigureServiceKestrel's default HTTP port.
        var httpPort = app.Configuration.GetValue(KestrelExtensions.HttpPortKey, 8081);
        // Scrapers carry no token; the port is not exposed outside the cluster (NetworkPolicy: metrics.scrapeFrom).
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireHost($"*:{httpPort}").AllowAnonymous().DisableHttpMetrics();
        return app;
    }

    // Measured on every pooled buffer or every request, and read by no dashboard or alert: Kestrel's memory pool and
    // request queue, the router's match attempts, and ASP.NET Core's authentication and authorization measures (the
    // dashboards read steering.calls.refused, by code and reason; CallerPolicyEvaluator decides the steering policies
    // without the authorization service that would count attempts). A dropped instrument is not enabled, so it is not measured.
    private static bool IsUnread(Instrument instrument) =>
        instrument.Meter.Name is "Microsoft.AspNetCore.MemoryPool" or "Microsoft.AspNetCore.Authentication" or "Microsoft.AspNetCore.Authorization"
        || instrument.Name is "kestrel.queued_requests" or "aspnetcore.routing.match_attempts";

    // Probes and scrapes arrive every few seconds: tracing them would bury the traces that matter.
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/grpc.health.v1.Health")
        || path.StartsWithSegments(MetricsPath);
}
