using System.Security.Claims;
using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Telemetry;
using Egov.Steering.ServiceDefaults.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
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

/// <summary>
/// Decides <see cref="CallerRequirement"/>s with <see cref="Caller.RefusalOf"/>, the rule services use too, in a
/// policy that also holds other requirements; <see cref="CallerPolicyEvaluator"/> decides the steering policies themselves.
/// </summary>
internal sealed class CallerRequirementHandler : AuthorizationHandler<CallerRequirement>
{
    public static CallerRequirementHandler Instance { get; } = new();

    /// <summary>Why <paramref name="caller"/> fails the steering policy <paramref name="policy"/>; null when it may call.</summary>
    public static CallerRefusal? RefusalOf(Caller caller, string policy) =>
        caller.RefusalOf(policy) is { } refusal ? new CallerRefusal(Instance, refusal) : null;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CallerRequirement requirement)
    {
        if (RefusalOf(Caller.From(context.User), requirement.Policy) is { } refusal)
        {
            context.Fail(refusal);
        }
        else
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Decides a policy made only of an authenticated user and <see cref="CallerRequirement"/>s (the steering policies and
/// the fallback) as ASP.NET Core's evaluator would with <see cref="CallerRequirementHandler"/>, without what that costs
/// on every call: an authorization service, its handler provider and handlers resolved, a handler context built, an
/// attempt measured. Any other policy goes to ASP.NET Core's evaluator.
/// </summary>
internal sealed class CallerPolicyEvaluator(IAuthorizationService authorization) : IPolicyEvaluator
{
    private readonly PolicyEvaluator evaluator = new(authorization);

    public Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context) =>
        evaluator.AuthenticateAsync(policy, context);

    public Task<PolicyAuthorizationResult> AuthorizeAsync(
        AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(authenticationResult);
        ArgumentNullException.ThrowIfNull(context);
        if (!IsCallerPolicy(policy))
        {
            return evaluator.AuthorizeAsync(policy, authenticationResult, context, resource);
        }

        var user = context.User;
        var caller = Caller.From(user);
        List<AuthorizationFailureReason>? refusals = null;
        List<IAuthorizationRequirement>? unmet = null;
        foreach (var requirement in policy.Requirements)
        {
            if (requirement is CallerRequirement { Policy: var name } && CallerRequirementHandler.RefusalOf(caller, name) is { } refusal)
            {
                (refusals ??= []).Add(refusal);
            }
            else if (requirement is DenyAnonymousAuthorizationRequirement && !IsAuthenticated(user))
            {
                (unmet ??= []).Add(requirement);
            }
        }

        var result = (refusals, unmet) switch
        {
            (null, null) => PolicyAuthorizationResult.Success(),
            _ when !authenticationResult.Succeeded => PolicyAuthorizationResult.Challenge(),
            // As ASP.NET Core's authorization service reports them: the reasons given, else the requirements unmet.
            (null, _) => PolicyAuthorizationResult.Forbid(AuthorizationFailure.Failed(unmet)),
            _ => PolicyAuthorizationResult.Forbid(AuthorizationFailure.Failed(refusals)),
        };
        return Task.FromResult(result);
    }

    private static bool IsCallerPolicy(AuthorizationPolicy policy)
    {
        foreach (var requirement in policy.Requirements)
        {
            if (requirement is not (CallerRequirement or DenyAnonymousAuthorizationRequirement))
            {
                return false;
            }
        }

        return true;
    }

    // DenyAnonymousAuthorizationRequirement's rule: some identity of the user is authenticated.
    private static bool IsAuthenticated(ClaimsPrincipal user)
    {
        foreach (var identity in user.Identities)
        {
            if (identity.IsAuthenticated)
            {
                return true;
            }
        }

        return false;
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
