using System.Net;
using System.Net.Http.Headers;
using Egov.Steering.ServiceDefaults.Web;
using Egov.Steering.Testing.V1;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>
/// What an anonymous endpoint (health, metrics, reflection, the OpenAPI document) costs: a token sent to it is not validated, while every
/// other call still authenticates its caller.
/// </summary>
public sealed class AnonymousEndpointTests
{
    [Fact]
    public async Task A_token_sent_to_an_anonymous_endpoint_is_not_validated_and_one_sent_to_a_method_is()
    {
        var bearerRuns = 0;
        await using var host = await TestServiceHost.StartAsync(configure: builder =>
            builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
            {
                var inner = jwt.Events.OnMessageReceived;
                jwt.Events.OnMessageReceived = context =>
                {
                    Interlocked.Increment(ref bearerRuns);
                    return inner(context);
                };
            }));

        using var http = host.CreateHttpClient();
        using var document = new HttpRequestMessage(HttpMethod.Get, new Uri(HttpApiExtensions.OpenApiPath, UriKind.Relative));
        document.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "a token nobody reads");
        using var response = await http.SendAsync(document);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, Volatile.Read(ref bearerRuns));

        // A method past authorization (host.Channel sends the read token): its caller was authenticated, once.
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            new ProbeService.ProbeServiceClient(host.Channel).FailAsync(new FailRequest { Failure = "not_found" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        Assert.Equal(1, Volatile.Read(ref bearerRuns));
    }
}
