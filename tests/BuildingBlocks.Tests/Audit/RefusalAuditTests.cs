using Egov.Steering.Access;
using Egov.Steering.Audit.V1;
using Egov.Steering.BuildingBlocks.Tests.Auth;
using Egov.Steering.BuildingBlocks.Tests.Idempotency;
using Grpc.Core;

namespace Egov.Steering.BuildingBlocks.Tests.Audit;

/// <summary>Refused calls of an admin method in the audit trail: who, what, why, and no more than the rate limit allows.</summary>
public class RefusalAuditTests
{
    private const string ListMethod = "/egov.steering.audit.v1.AuditService/ListAuditRecords";

    [Fact]
    public async Task A_refused_call_is_recorded_with_the_caller_the_method_and_the_reason_and_listed_only_on_request()
    {
        await using var host = await AuditTestHost.StartAsync();
        var clerk = DevelopmentTokens.Mint("ministry-btttt", [SteeringScopes.Read], TimeSpan.FromMinutes(10), "clerk-9");

        var refused = await Assert.ThrowsAsync<RpcException>(() => ListAsync(host, clerk, includeRefused: false));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        var record = Assert.Single((await ListAsync(host, AuditTestHost.AdminToken(), includeRefused: true)).AuditRecords);
        Assert.Equal(
            ("clerk-9", "ministry-btttt", ListMethod, 7, "ADMIN_REQUIRED", 0),
            (record.Subject, record.Organisation, record.Method, record.Refusal.Code, record.Refusal.Reason, record.Refusal.SuppressedBefore));
        Assert.Empty((await ListAsync(host, AuditTestHost.AdminToken(), includeRefused: false)).AuditRecords);
    }

    [Fact]
    public async Task A_signed_token_that_names_no_caller_is_unauthenticated_and_recorded_with_what_it_claims()
    {
        await using var host = await AuditTestHost.StartAsync();
        var token = AuthTestKit.SignedDevelopmentToken(
            new() { ["sub"] = "operator", ["org"] = "NATIONAL", ["scope"] = SteeringScopes.Admin }, DateTime.UtcNow.AddMinutes(10));

        var refused = await Assert.ThrowsAsync<RpcException>(() => ListAsync(host, token, includeRefused: true));

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("'org' claim is not a known organisation code", refused.Status.Detail, StringComparison.Ordinal);
        var record = Assert.Single((await ListAsync(host, AuditTestHost.AdminToken(), includeRefused: true)).AuditRecords);
        Assert.Equal(("operator", "NATIONAL", 16, "TOKEN_CLAIMS_INVALID"), (record.Subject, record.Organisation, record.Refusal.Code, record.Refusal.Reason));
    }

    [Fact]
    public async Task Refusals_beyond_a_callers_burst_are_counted_and_the_count_is_recorded_when_it_resumes()
    {
        var clock = new FixedTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await AuditTestHost.StartAsync(
            settings: new Dictionary<string, string?> { ["Audit:RefusalBurst"] = "3", ["Audit:RefusalInterval"] = "00:01:00" },
            time: clock);
        var clerk = DevelopmentTokens.Mint("ministry-btttt", [SteeringScopes.Write], TimeSpan.FromHours(1), "script");

        for (var attempt = 0; attempt < 10; attempt++)
        {
            await Assert.ThrowsAsync<RpcException>(() => ListAsync(host, clerk, includeRefused: false));
        }

        Assert.Equal(3, (await ListAsync(host, AuditTestHost.AdminToken(), includeRefused: true)).AuditRecords.Count);
        clock.Now += TimeSpan.FromMinutes(1);
        await Assert.ThrowsAsync<RpcException>(() => ListAsync(host, clerk, includeRefused: false));

        var records = (await ListAsync(host, AuditTestHost.AdminToken(), includeRefused: true)).AuditRecords;
        Assert.Equal(4, records.Count);
        Assert.Equal(7, records[0].Refusal.SuppressedBefore);
    }

    private static Task<ListAuditRecordsResponse> ListAsync(AuditTestHost host, string token, bool includeRefused) =>
        host.Client.ListAuditRecordsAsync(
            new ListAuditRecordsRequest { IncludeRefused = includeRefused }, AuditTestHost.Bearer(token)).ResponseAsync;
}
