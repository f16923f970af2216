using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Egov.Steering.ServiceDefaults.Health;

/// <summary>Tags that place a health check in liveness or readiness.</summary>
public static class HealthTags
{
    /// <summary>The process answers. Only the trivial self check carries it: liveness must not fail for a dependency.</summary>
    public const string Live = "live";

    /// <summary>
    /// Readiness: the service can do its work. Checks of what it cannot work without (its database, the broker —
    /// MassTransit tags its bus check "ready") fail as Unhealthy; a check of something optional (Redis) is registered
    /// with failure status Degraded, which keeps the service ready and reports the degradation.
    /// </summary>
    public const string Ready = "ready";
}

public static class HealthExtensions
{
    /// <summary>
    /// grpc.health.v1 whose server-wide status ("" service) is readiness: NOT_SERVING when any "ready" check is
    /// Unhealthy, SERVING otherwise (Degraded included). Checks run on each request, not from a cache.
    /// </summary>
    public static IHostApplicationBuilder AddServiceHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGrpcHealthChecks(options =>
            {
                options.Services.Clear();
                options.Services.Map(string.Empty, check => check.Tags.Contains(HealthTags.Ready));
            })
            // Readiness must have at least one check: with none, grpc.health.v1 would answer UNKNOWN.
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live, HealthTags.Ready]);
        return builder;
    }

    /// <summary>
    /// <c>/healthz</c> (liveness: the process answers) and <c>/readyz</c> (readiness, with each check's status as
    /// JSON) in every environment, the gRPC health service; all anonymous, because probes carry no token.
    /// </summary>
    public static IEndpointRouteBuilder MapServiceHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(HealthTags.Live) })
            .AllowAnonymous();
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Ready),
            ResponseWriter = WriteReportAsync,
        }).AllowAnonymous();
        endpoints.MapGrpcHealthChecksService().AllowAnonymous();
        return endpoints;
    }

    // Status and description per check; exception details stay in the log (they may name hosts and credentials).
    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        });
    }
}
