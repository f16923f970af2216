using System.Security.Claims;
using Egov.Steering.Access;
using Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.Testing.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.BuildingBlocks.Tests.Auth;

/// <summary>
/// What authenticating and authorizing a caller costs per call: a remembered token is not taken through ASP.NET Core's
/// authentication service and the full bearer handler again, and a steering policy is decided without ASP.NET Core's authorization service, with the same
/// answers as before.
/// </summary>
public sealed class PerCallAuthTests
{
    [Fact]
    public async Task A_token_is_taken_through_the_full_bearer_handler_once_and_then_answered_from_memory()
    {
        var bearerRuns = 0;
        await using var host = await TestServiceHost.StartAsync(configure: builder =>
            AuthTestKit.CountFullBearerRuns(builder.Services, () => Interlocked.Increment(ref bearerRuns)));
        await CallPastAuthorizationAsync(host, calls: 3);

        Assert.Equal(1, Volatile.Read(ref bearerRuns));
    }

    [Fact]
    public async Task A_remembered_caller_is_authenticated_without_the_authentication_service()
    {
        var authentications = 0;
        await using var host = await TestServiceHost.StartAsync(configure: builder =>
        {
            builder.Services.AddScoped<AuthenticationService>();
            builder.Services.AddScoped<IAuthenticationService>(services => new CountingAuthenticationService(
                services.GetRequiredService<AuthenticationService>(), () => Interlocked.Increment(ref authentications)));
        });
        await CallPastAuthorizationAsync(host, calls: 3);

        Assert.Equal(1, Volatile.Read(ref authentications));
    }

    [Fact]
    public async Task A_registered_claims_transformation_is_applied_on_every_call()
    {
        var transformations = 0;
        await using var host = await TestServiceHost.StartAsync(configure: builder =>
            builder.Services.AddSingleton<IClaimsTransformation>(new CountingTransformation(() => Interlocked.Increment(ref transformations))));
        await CallPastAuthorizationAsync(host, calls: 3);

        Assert.Equal(3, Volatile.Read(ref transformations));
    }

    [Fact]
    public async Task A_token_that_names_no_caller_is_refused_with_its_reason_on_every_call()
    {
        await using var host = await TestServiceHost.StartAsync();
        using var channel = host.CreateChannel(AuthTestKit.SignedDevelopmentToken(
            new() { ["sub"] = "operator", ["org"] = "NATIONAL", ["scope"] = SteeringScopes.Read }, DateTime.UtcNow.AddHours(1)));
        var client = new ProbeService.ProbeServiceClient(channel);

        foreach (var call in Enumerable.Range(0, 2))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => client.FailAsync(new FailRequest { Failure = "not_found" }).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
            Assert.Contains("not a known organisation code", refused.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_steering_policy_is_decided_without_the_authorization_handlers()
    {
        var handlerRuns = 0;
        await using var host = await TestServiceHost.StartAsync(configure: builder =>
            builder.Services.AddSingleton<IAuthorizationHandler>(new CountingHandler(() => Interlocked.Increment(ref handlerRuns))));

        await CallPastAuthorizationAsync(host, calls: 1);

        Assert.Equal(0, Volatile.Read(ref handlerRuns));
    }

    [Fact]
    public async Task The_steering_policies_are_decided_as_the_authorization_service_decides_them()
    {
        await using var host = await TestServiceHost.StartAsync();
        var services = host.App.Services;
        var evaluator = services.GetRequiredService<IPolicyEvaluator>();
        var reference = new PolicyEvaluator(services.GetRequiredService<IAuthorizationService>());
        var policies = services.GetRequiredService<IAuthorizationPolicyProvider>();
        ClaimsPrincipal[] users =
        [
            User(Organisations.National, SteeringScopes.Read),
            User(Organisations.National, SteeringScopes.Admin),
            User("province-2025-52", SteeringScopes.Write),
            User("province-2025-52", SteeringScopes.Admin),
            User("province-2025-52", "openid"),
            User("NATIONAL", SteeringScopes.Admin), // authenticated, but its claims name no caller
            new(new ClaimsIdentity()), // no token
        ];
        AuthorizationPolicy[] steering =
        [
            (await policies.GetPolicyAsync(SteeringPolicies.Read))!,
            (await policies.GetPolicyAsync(SteeringPolicies.Write))!,
            (await policies.GetPolicyAsync(SteeringPolicies.Admin))!,
            (await policies.GetFallbackPolicyAsync())!,
            await policies.GetDefaultPolicyAsync(), // [Authorize] without a policy: an authenticated user
        ];
        var combined = AuthorizationPolicy.Combine(steering[0], steering[2]);

        foreach (var policy in steering.Append(combined))
        {
            foreach (var user in users)
            {
                foreach (var authentication in new[] { AuthenticateResult.Success(new AuthenticationTicket(user, "Bearer")), AuthenticateResult.NoResult() })
                {
                    var context = new DefaultHttpContext { User = user };
                    var expected = await reference.AuthorizeAsync(policy, authentication, context, resource: null);
                    var actual = await evaluator.AuthorizeAsync(policy, authentication, context, resource: null);
                    Assert.Equal(Describe(expected), Describe(actual));
                }
            }
        }
    }

    private static ClaimsPrincipal User(string organisation, string scope) =>
        new(new ClaimsIdentity([new Claim("sub", "clerk-1"), new Claim("org", organisation), new Claim("scope", scope)], "Bearer"));

    private static string Describe(PolicyAuthorizationResult result) =>
        $"succeeded {result.Succeeded}, challenged {result.Challenged}, forbidden {result.Forbidden}; "
        + string.Join(" | ", result.AuthorizationFailure?.FailureReasons.Select(reason => reason.Message) ?? [])
        + "; unmet " + string.Join(", ", result.AuthorizationFailure?.FailedRequirements.Select(requirement => requirement.GetType().Name) ?? []);

    /// <summary>
    /// Calls a method that fails with NOT_FOUND with the host's token <paramref name="calls"/> times: past authorization
    /// each time, so the caller was read from the token on every call.
    /// </summary>
    private static async Task CallPastAuthorizationAsync(TestServiceHost host, int calls)
    {
        var client = new ProbeService.ProbeServiceClient(host.Channel);
        foreach (var call in Enumerable.Range(0, calls))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => client.FailAsync(new FailRequest { Failure = "not_found" }).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        }
    }

    private sealed class CountingTransformation(Action counted) : IClaimsTransformation
    {
        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            counted();
            return Task.FromResult(principal);
        }
    }

    private sealed class CountingAuthenticationService(AuthenticationService inner, Action counted) : IAuthenticationService
    {
        public Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme)
        {
            counted();
            return inner.AuthenticateAsync(context, scheme);
        }

        public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.ChallengeAsync(context, scheme, properties);

        public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.ForbidAsync(context, scheme, properties);

        public Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties) =>
            inner.SignInAsync(context, scheme, principal, properties);

        public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.SignOutAsync(context, scheme, properties);
    }

    private sealed class CountingHandler(Action counted) : IAuthorizationHandler
    {
        public Task HandleAsync(AuthorizationHandlerContext context)
        {
            counted();
            return Task.CompletedTask;
        }
    }
}
