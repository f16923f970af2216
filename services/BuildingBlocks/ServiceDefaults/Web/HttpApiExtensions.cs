using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Telemetry;
using Egov.Steering.ServiceDefaults.Validation;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.ServiceDefaults.Web;

/// <summary>
/// The JSON/HTTP face of the gRPC services (protos' google.api.http rules, AIP-127): served by gRPC JSON transcoding
/// through the same method pipeline (authentication, authorization, interceptors: validation, idempotency, errors),
/// its OpenAPI document at <see cref="OpenApiPath"/>, and CORS when origins are configured.
/// </summary>
public static class HttpApiExtensions
{
    /// <summary>Where every service serves the OpenAPI 3 document of the HTTP paths it hosts.</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    // The keys UseAuthentication and UseAuthorization set, which WebApplication reads before adding the middleware itself.
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";
    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";

    public static WebApplicationBuilder AddHttpApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddGrpc().AddJsonTranscoding(transcoding =>
        {
            // Errors carry their details (ErrorInfo, BadRequest...) as JSON, which needs their types.
            transcoding.TypeRegistry = JsonStatus.DetailTypes;
            // The proto3 JSON mapping: 64-bit integers as strings (JavaScript numbers lose precision past 2^53).
            transcoding.JsonSettings.WriteInt64sAsStrings = true;
        });

        QueryAccessToken.Accept(services);
        // The event stream maps its failures as the gRPC methods' interceptor does.
        services.TryAddSingleton<ExceptionMappingInterceptor>();
        services.TryAddSingleton<ServiceMetrics>();
        // ASP.NET Core's request lines include the query string, which may carry an access_token (QueryAccessToken).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        var options = builder.Configuration.GetSection(HttpApiOptions.SectionName).Get<HttpApiOptions>() ?? new HttpApiOptions();
        services.Configure<HttpApiOptions>(builder.Configuration.GetSection(HttpApiOptions.SectionName));
        if (options.Cors.AllowedOrigins.Count > 0)
        {
            services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. options.Cors.AllowedOrigins])
                .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Patch, HttpMethods.Delete)
                .WithHeaders("Authorization", "Content-Type", "Last-Event-ID")
                .WithExposedHeaders("grpc-status", "grpc-message")));
        }

        return builder;
    }

    /// <summary>
    /// Routing, CORS (when configured), authentication (<see cref="RememberedCallerAuthentication"/>) and authorization, in that order: a browser's CORS preflight
    /// carries no token, so CORS must answer it before authorization would refuse it. Anonymous endpoints (probes,
    /// metrics, reflection, the OpenAPI document) read no caller, so they skip both: a token they are sent is not
    /// validated (the bearer handler, created per request, would be most of what a health check costs), and no policy
    /// is evaluated only to be waived (the fallback policy applies to every endpoint, anonymous ones included).
    /// </summary>
    public static WebApplication UseHttpApi(this WebApplication app)
    {
        app.UseRouting();
        if (app.Services.GetService<Microsoft.AspNetCore.Cors.Infrastructure.ICorsService>() is not null)
        {
            app.UseCors();
        }

        app.UseWhen(
            context => context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null,
            caller => caller.UseMiddleware<RememberedCallerAuthentication>().UseAuthorization());
        // Authentication is RememberedCallerAuthentication's (ASP.NET Core's middleware inside it) and the branch sets the
        // authorization flag on its own copy of the properties: without both flags here, WebApplication would add both
        // again in front of the whole pipeline (AnonymousEndpointTests count their runs).
        ((IApplicationBuilder)app).Properties[AuthenticationMiddlewareSetKey] = true;
        ((IApplicationBuilder)app).Properties[AuthorizationMiddlewareSetKey] = true;
        app.Use(LimitRequestBody);
        return app;
    }

    /// <summary>
    /// A JSON body is held to the gRPC message limit (<see cref="RequestLimits.MaxMessageBytes"/>), which transcoding
    /// does not apply: RESOURCE_EXHAUSTED before reading a body whose Content-Length is over it; a chunked one is cut at
    /// the limit by Kestrel.
    /// </summary>
    private static Task LimitRequestBody(HttpContext context, RequestDelegate next)
    {
        if (IsHttpApi(context))
        {
            if (context.Request.ContentLength > RequestLimits.MaxMessageBytes)
            {
                return JsonStatus.WriteAsync(context.Response, new Google.Rpc.Status
                {
                    Code = (int)Grpc.Core.StatusCode.ResourceExhausted,
                    Message = $"the request body is larger than {RequestLimits.MaxMessageBytes} bytes",
                });
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = RequestLimits.MaxMessageBytes;
            }
        }

        return next(context);
    }

    /// <summary>Whether the request is a call of the JSON/HTTP API (a transcoded method or the event stream).</summary>
    public static bool IsHttpApi(HttpContext context) =>
        context.GetEndpoint()?.Metadata is { } metadata
        && (metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null || metadata.GetMetadata<HttpApiEndpoint>() is not null);

    /// <summary>The OpenAPI document of the paths this host serves, public like the protos it is generated from.</summary>
    public static WebApplication MapHttpApi(this WebApplication app)
    {
        var sources = ((IEndpointRouteBuilder)app).DataSources;
        var document = new Lazy<string>(() =>
        {
            var endpoints = sources.SelectMany(source => source.Endpoints).ToList();
            return OpenApiDocument.Generate(
                endpoints.Select(e => e.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>()?.MethodDescriptor).OfType<MethodDescriptor>(),
                endpoints.Select(e => e.Metadata.GetMetadata<HttpApiEndpoint>()).OfType<HttpApiEndpoint>());
        });
        app.MapGet(OpenApiPath, () => Results.Text(document.Value, "application/json; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}

/// <summary>
/// Marks an endpoint of the JSON/HTTP API that is not a transcoded method (the event stream), and describes it for
/// the OpenAPI document: a GET whose query binds <see cref="Request"/>, answering server-sent events.
/// </summary>
public sealed record HttpApiEndpoint(
    string Path, string OperationId, string Summary, string Tag, MessageDescriptor Request, IReadOnlyList<string> EventNames);
