using System.Net;
using System.Net.Http.Headers;
using Egov.Steering.BuildingBlocks.Tests.Auth;
using Egov.Steering.ServiceDefaults.Web;
using Egov.Steering.Testing.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>
/// What an anonymous endpoint (health, metrics, reflection, the OpenAPI document) costs: a token sent to it is not
/// validated and no policy is evaluated for it, while every other call still authenticates and authorizes its caller.
/// </summary>
public sealed class AnonymousEndpointTests
{
    [Fact]
    public async Task A_call_to_an_anonymous_endpoint_neither_validates_a_token_nor_evaluates_a_policy_and_one_to_a_method_does_both()
    {
        var bearerRuns = 0;
        var policyEvaluations = 0;
        await using var host = await TestServiceHost.StartAsync(configure: builder =>
        {
            AuthTestKit.CountFullBearerRuns(builder.Services, () => Interlocked.Increment(ref bearerRuns));
            builder.Services.AddTransient<IPolicyEvaluator>(services =>
                new CountingPolicyEvaluator(new PolicyEvaluator(services.GetRequiredService<IAuthorizationService>()), () => Interlocked.Increment(ref policyEvaluations)));
        });

        using var http = host.CreateHttpClient();
        using var document = new HttpRequestMessage(HttpMethod.Get, new Uri(HttpApiExtensions.OpenApiPath, UriKind.Relative));
        document.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "a token nobody reads");
        using var response = await http.SendAsync(document);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((0, 0), (Volatile.Read(ref bearerRuns), Volatile.Read(ref policyEvaluations)));

        // A method past authorization (host.Channel sends the read token): its caller was authenticated, once.
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            new ProbeService.ProbeServiceClient(host.Channel).FailAsync(new FailRequest { Failure = "not_found" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        Assert.Equal((1, 1), (Volatile.Read(ref bearerRuns), Volatile.Read(ref policyEvaluations)));
    }

    private sealed class CountingPolicyEvaluator(IPolicyEvaluator inner, Action counted) : IPolicyEvaluator
    {
        public Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context)
        {
            counted();
            return inner.AuthenticateAsync(policy, context);
        }

        public Task<PolicyAuthorizationResult> AuthorizeAsync(
            AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource) =>
            inner.AuthorizeAsync(policy, authenticationResult, context, resource);
    }
}
