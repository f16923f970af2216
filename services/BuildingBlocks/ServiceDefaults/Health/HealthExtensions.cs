using System.Text;
using Egov.Steering.ServiceDefaults.Hosting;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Egov.Steering.ServiceDefaults.Health;

/// <summary>Tags that place a health check in liveness or readiness.</summary>
public static class HealthTags
{
    /// <summary>
    /// The process answers and is not broken in a way only a restart mends (the bus's consumers, Messaging's
    /// ConsumptionLoss, which fails only while the broker answers): liveness must not fail for a dependency.
    /// </summary>
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
    /// <summary>The grpc.health.v1 service name of liveness, for Kubernetes' native gRPC liveness and start-up probes.</summary>
    public const string LivenessServiceName = "liveness";

    /// <summary>
    /// grpc.health.v1 whose server-wide status ("" service) is readiness: NOT_SERVING when any "ready" check is
    /// Unhealthy, SERVING otherwise (Degraded included); the "liveness" service only says the process answers.
    /// The checks run in the background, at start and then every <c>Health:Interval</c> (default 5 s); every probe
    /// answers from the last result (<see cref="PublishedHealth"/>), so a probe costs no check and a dependency going
    /// down shows within one interval.
    /// </summary>
    public static IHostApplicationBuilder AddServiceHealthChecks(this IHostApplicationBuilder builder)
    {
        // Until the first checks finish, a caller learns "not ready" and "alive" rather than NOT_FOUND (no such service):
        // AddGrpcHealthChecks keeps a HealthServiceImpl already registered.
        builder.Services.AddSingleton(_ =>
        {
            var statuses = new HealthServiceImpl();
            statuses.SetStatus(string.Empty, HealthCheckResponse.Types.ServingStatus.NotServing);
            statuses.SetStatus(LivenessServiceName, HealthCheckResponse.Types.ServingStatus.Serving);
            return statuses;
        });
        builder.Services.AddGrpcHealthChecks(options =>
            {
                options.Services.Clear();
                options.Services.Map(string.Empty, check => check.Tags.Contains(HealthTags.Ready));
                options.Services.Map(LivenessServiceName, check => check.Tags.Contains(HealthTags.Live));
                options.UseHealthChecksCache = true;
            })
            // Readiness must have at least one check: with none, grpc.health.v1 would answer UNKNOWN.
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live, HealthTags.Ready]);
        var interval = builder.Configuration.GetValue("Health:Interval", DefaultInterval);
        builder.Services.Configure<HealthCheckPublisherOptions>(options =>
        {
            options.Delay = TimeSpan.Zero;
            options.Period = interval;
        });
        builder.Services.AddSingleton<PublishedHealth>();
        builder.Services.AddSingleton<IHealthCheckPublisher>(provider => provider.GetRequiredService<PublishedHealth>());
        return builder;
    }

    /// <summary>
    /// <c>/healthz</c> (liveness: the process answers) and <c>/readyz</c> (readiness, with each check's status as
    /// JSON) in every environment, the gRPC health service; all anonymous, because probes carry no token. Probes arrive
    /// every few seconds from every kubelet and balancer: they are left out of the request metrics (as out of the
    /// traces), where they would outnumber and skew the calls the dashboards watch, and the gRPC check, answered from
    /// the last published result, gets no default deadline (a timer per call that bounds no wait).
    /// </summary>
    public static IEndpointRouteBuilder MapServiceHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/healthz", async context =>
        {
            var status = await context.RequestServices.GetRequiredService<PublishedHealth>().LivenessAsync(context.RequestAborted);
            await WriteAsync(context, status, "text/plain", Encoding.UTF8.GetBytes(status.ToString()));
        }).AllowAnonymous().DisableHttpMetrics();
        endpoints.Map("/readyz", async context =>
        {
            var snapshot = await context.RequestServices.GetRequiredService<PublishedHealth>().ReadinessAsync();
            await WriteAsync(context, snapshot.Ready, "application/json", snapshot.ReadinessJson);
        }).AllowAnonymous().DisableHttpMetrics();
        // Watch, and the checks HealthCheckAnswers leaves to it (an unknown service, a compressed request).
        endpoints.MapGrpcHealthChecksService().AllowAnonymous().DisableHttpMetrics().WithoutDefaultCallDeadline();

        return endpoints;
    }

    private static TimeSpan DefaultInterval => TimeSpan.FromSeconds(5);

    // As ASP.NET Core's health check middleware answers: 503 only when Unhealthy, never cached.
    private static Task WriteAsync(HttpContext context, HealthStatus status, string contentType, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers.CacheControl = "no-store, no-cache";
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
