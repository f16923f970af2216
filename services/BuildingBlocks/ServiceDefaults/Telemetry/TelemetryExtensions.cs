using System.Reflection;
using Microsoft.AspNetCore.Http;
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

    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
    /// set (the standard OTEL_* variables configure the rest). The resource carries service.name
    /// (<c>OTEL_SERVICE_NAME</c> or the application name), service.version and deployment.environment.name.
    /// </summary>
    public static IHostApplicationBuilder AddServiceTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } configured
            ? configured
            : builder.Environment.ApplicationName;
        var version = Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(serviceName, serviceVersion: version)
                .AddAttributes([new("deployment.environment.name", builder.Environment.EnvironmentName)]))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter("System.Runtime", "Grpc.AspNetCore.Server", "Grpc.Net.Client", "Microsoft.EntityFrameworkCore", MassTransitSource))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsProbe(context.Request.Path))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation()
                .AddRedisInstrumentation()
                .AddSource(MassTransitSource));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
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

    // Probes arrive every few seconds: tracing them would bury the traces that matter.
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/grpc.health.v1.Health");
}
