using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Telemetry;
using Egov.Steering.ServiceDefaults.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Egov.Steering.ServiceDefaults.Auth;

/// <summary>A steering policy: the <see cref="Caller"/> may call what <see cref="Policy"/> guards.</summary>
internal sealed record CallerRequirement(string Policy) : IAuthorizationRequirement;

/// <summary>Why a caller failed a <see cref="CallerRequirement"/>, kept for the PERMISSION_DENIED answer.</summary>
internal sealed class CallerRefusal(IAuthorizationHandler handler, PermissionDeniedException refusal)
    : AuthorizationFailureReason(handler, refusal.Message)
{
    public PermissionDeniedException Refusal { get; } = refusal;
}

/// <summary>Decides <see cref="CallerRequirement"/>s with <see cref="Caller.RefusalOf"/>, the rule services use too.</summary>
internal sealed class CallerRequirementHandler : AuthorizationHandler<CallerRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CallerRequirement requirement)
    {
        if (Caller.From(context.User).RefusalOf(requirement.Policy) is { } refusal)
        {
            context.Fail(new CallerRefusal(this, refusal));
        }
        else
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Refuses gRPC calls as gRPC statuses: UNAUTHENTICATED with the reason the token was not accepted, PERMISSION_DENIED
/// with the right the caller lacks; the refusal of a write or admin call is audited. A call of the JSON/HTTP API is
/// refused the same way, as the HTTP status of the code with the google.rpc.Status as JSON. Other requests (health,
/// metrics) get the default 401/403.
/// </summary>
internal sealed class GrpcAuthorizationResultHandler(
    IOptions<AuthOptions> options, ServiceMetrics metrics, IServiceProvider services) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler defaultHandler = new();

    public async Task HandleAsync(
        RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var grpc = GrpcRefusals.IsGrpc(context.Request);
        if (authorizeResult.Succeeded || !(grpc || HttpApiExtensions.IsHttpApi(context)))
        {
            await defaultHandler.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        ApiException refusal = authorizeResult.Challenged
            // The scheme's result is cached for the request: this reads why the token was refused, it does not validate it again.
            ? UnauthenticatedException.Of(await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme), options.Value.ClockSkew)
            : authorizeResult.AuthorizationFailure?.FailureReasons.OfType<CallerRefusal>().FirstOrDefault()?.Refusal
                ?? new PermissionDeniedException("PERMISSION_DENIED", "the caller may not call this method");
        if (services.GetService<RefusedCallLog>() is { } log)
        {
            await log.RecordAsync(context, request: null, refusal);
        }

        metrics.RecordRefused(refusal.Code, refusal.Reason);

        await (grpc ? GrpcRefusals.WriteAsync(context.Response, refusal.ToStatus()) : JsonStatus.WriteAsync(context.Response, refusal.ToStatus()));
    }
}
