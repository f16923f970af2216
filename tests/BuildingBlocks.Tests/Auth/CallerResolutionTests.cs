using System.Net;
using System.Net.Http.Headers;
using Egov.Steering.Access;
using Egov.Steering.BuildingBlocks.Tests.Audit;
using Egov.Steering.ServiceDefaults.Auth;

namespace Egov.Steering.BuildingBlocks.Tests.Auth;

/// <summary>The scoped Caller a service receives, and the write policy, from real bearer tokens.</summary>
public class CallerResolutionTests
{
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task The_caller_is_the_tokens_organisation_and_subject()
    {
        await using var host = await AuditTestHost.StartAsync();
        var token = DevelopmentTokens.Mint("ministry-btttt", [SteeringScopes.Write], TenMinutes, "clerk-9");

        var (status, body) = await GetCallerAsync(host, token);

        Assert.Equal((HttpStatusCode.OK, "ministry-btttt clerk-9 False"), (status, body));
    }

    [Fact]
    public async Task The_admin_scope_implies_the_write_scope()
    {
        await using var host = await AuditTestHost.StartAsync();
        var token = DevelopmentTokens.Mint("national", [SteeringScopes.Admin], TenMinutes, "operator");

        var (status, body) = await GetCallerAsync(host, token);

        Assert.Equal((HttpStatusCode.OK, "national operator True"), (status, body));
    }

    [Fact]
    public async Task The_read_scope_does_not_satisfy_the_write_policy()
    {
        await using var host = await AuditTestHost.StartAsync();
        var token = DevelopmentTokens.Mint("ministry-btttt", [SteeringScopes.Read], TenMinutes);

        var (status, _) = await GetCallerAsync(host, token);

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetCallerAsync(AuditTestHost host, string token)
    {
        using var http = host.Http;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/caller");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
