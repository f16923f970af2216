using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Health;
using Egov.Steering.ServiceDefaults.Hosting;
using Egov.Steering.ServiceDefaults.Infrastructure;
using Egov.Steering.ServiceDefaults.Telemetry;
using Egov.Steering.ServiceDefaults.Tls;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.ServiceDefaults.Web;
using Egov.Steering.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.ServiceDefaults;

/// <summary>What every egov-steering gRPC service shares: hosting, telemetry, health, errors, configuration switches.</summary>
public static class ServiceDefaultsExtensions
{
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        // Both fail at start-up with a clear message rather than at the first request.
        VietnameseText.EnsureCollationAvailable();
        builder.GetInfrastructureOptions();

        builder.ConfigureServiceKestrel();
        builder.ConfigureServiceLogging();
        builder.AddServiceTelemetry();
        builder.AddServiceHealthChecks();
        builder.AddSteeringAuthentication();
        builder.AddServiceTls();

        builder.Services.AddGrpc(grpc =>
        {
            // Errors mapped, refusals audited, the deadline made current, the request checked: one interceptor, four steps.
            grpc.Interceptors.Add<ServerCallSteps>();
            grpc.MaxReceiveMessageSize = RequestLimits.MaxMessageBytes;

            // Exception messages never reach clients: ExceptionMappingInterceptor decides what they see.
            grpc.EnableDetailedErrors = false;
        });
        // Stateless: one instance each serves every call instead of one activated per call.
        builder.Services.AddSingleton<ExceptionMappingInterceptor>().AddSingleton<RefusedCallInterceptor>()
            .AddSingleton<CallDeadlineInterceptor>().AddSingleton<RequestInputInterceptor>().AddSingleton<ServerCallSteps>();
        // Before the guard, which replaces the method provider AddGrpc registers (again, when called again).
        builder.AddHttpApi();
        builder.Services.AddMalformedRequestGuard();
        builder.Services.AddGrpcReflection();
        return builder;
    }

    /// <summary>
    /// Health endpoints (HTTP and grpc.health.v1), Prometheus metrics and gRPC reflection, in every environment; unary
    /// calls without a deadline get the default one (<see cref="CallDeadlines"/>).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseHealthCheckAnswers();
        app.UseHttpApi();
        app.UseDefaultCallDeadline();
        app.MapServiceHealthChecks();
        app.MapServiceMetrics();

        // The contracts are public (protos/), so listing them needs no token.
        app.MapGrpcReflectionService().AllowAnonymous();
        app.MapHttpApi();
        return app;
    }

    /// <summary>
    /// Structured logs free of personal data: nothing here logs request or response bodies (no HTTP logging,
    /// no gRPC message logging, EF Core never with sensitive data logging), because requests carry people's names
    /// and contact data. Outside Development the console writes JSON, one event per line, for log collectors.
    /// </summary>
    private static void ConfigureServiceLogging(this WebApplicationBuilder builder)
    {
        // Grpc.AspNetCore logs every refused call (with a stack trace); ExceptionMappingInterceptor logs them briefly.
        builder.Logging.AddFilter("Grpc.AspNetCore.Server.ServerCallHandler", LogLevel.Warning);
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.AddJsonConsole();
        }
    }
}
