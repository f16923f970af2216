using System.Security.Cryptography;
using Egov.Steering.Access;
using Egov.Steering.Audit.V1;
using Egov.Steering.BuildingBlocks.Tests.Audit;
using Egov.Steering.BuildingBlocks.Tests.Idempotency;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Egov.Steering.BuildingBlocks.Tests.Auth;

/// <summary>Who may call the admin RPC, over the real gRPC pipeline.</summary>
public class AuthPolicyTests
{
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_call_without_a_token_is_unauthenticated()
    {
        await using var host = await AuditTestHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            host.Client.ListAuditRecordsAsync(new ListAuditRecordsRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task The_read_scope_is_denied_the_admin_rpc()
    {
        await using var host = await AuditTestHost.StartAsync();
        var token = DevelopmentTokens.Mint("national", [SteeringScopes.Read], TenMinutes);

        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(host, token));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task The_admin_scope_of_a_province_is_denied_the_admin_rpc()
    {
        await using var host = await AuditTestHost.StartAsync();
        var token = DevelopmentTokens.Mint("province-2025-52", [SteeringScopes.Admin], TenMinutes);

        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(host, token));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task The_national_admin_is_served()
    {
        await using var host = await AuditTestHost.StartAsync();

        var response = await ListAsync(host, AuditTestHost.AdminToken());

        Assert.Empty(response.AuditRecords);
    }

    [Fact]
    public async Task Tokens_signed_by_either_configured_key_are_accepted_so_keys_rotate_without_downtime()
    {
        var (oldKey, newKey) = (NewSecret(), NewSecret());
        await using var host = await AuditTestHost.StartAsync("Production", Keys(oldKey, newKey));

        await ListAsync(host, AdminTokenSignedWith(oldKey));
        await ListAsync(host, AdminTokenSignedWith(newKey));
    }

    [Fact]
    public async Task Tokens_signed_by_a_configured_rsa_public_key_are_accepted()
    {
        using var rsa = RSA.Create(2048);
        await using var host = await AuditTestHost.StartAsync("Production", Keys(NewSecret(), rsa.ExportSubjectPublicKeyInfoPem()));
        var token = DevelopmentTokens.Mint("national", [SteeringScopes.Admin], TenMinutes, signingKey: new RsaSecurityKey(rsa));

        await ListAsync(host, token);
    }

    [Fact]
    public async Task A_token_signed_by_a_key_that_is_not_configured_is_unauthenticated()
    {
        await using var host = await AuditTestHost.StartAsync("Production", Keys(NewSecret()));

        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(host, AdminTokenSignedWith(NewSecret())));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_unauthenticated()
    {
        await using var host = await AuditTestHost.StartAsync();
        var expired = DevelopmentTokens.Mint(
            "national", [SteeringScopes.Admin], TenMinutes, issuedAt: DateTimeOffset.UtcNow.AddHours(-1));

        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(host, expired));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task The_development_key_is_refused_in_production_when_nothing_is_configured()
    {
        var database = await WriteTestContext.CreateDatabaseAsync();
        await using var app = AuditTestHost.Build("Production", database, settings: null);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Auth:SigningKeys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_development_key_is_refused_in_production_even_when_configured()
    {
        var database = await WriteTestContext.CreateDatabaseAsync();
        await using var app = AuditTestHost.Build("Production", database, Keys(NewSecret(), DevelopmentTokens.SigningKey));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("development signing key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_unauthenticated()
    {
        var key = NewSecret();
        var settings = Keys(key);
        settings["Auth:Audience"] = "egov-steering-membership";
        await using var host = await AuditTestHost.StartAsync("Production", settings);

        var error = await Assert.ThrowsAsync<RpcException>(() => ListAsync(host, AdminTokenSignedWith(key)));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task A_signing_key_too_short_for_hmac_sha256_fails_start_up()
    {
        var database = await WriteTestContext.CreateDatabaseAsync();
        await using var app = AuditTestHost.Build(
            "Production", database, Keys(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("at least 32 are required", error.Message, StringComparison.Ordinal);
    }

    private static Task<ListAuditRecordsResponse> ListAsync(AuditTestHost host, string token) =>
        host.Client.ListAuditRecordsAsync(new ListAuditRecordsRequest(), AuditTestHost.Bearer(token)).ResponseAsync;

    private static string AdminTokenSignedWith(string secret) =>
        DevelopmentTokens.Mint("national", [SteeringScopes.Admin], TenMinutes, signingKey: SigningKeys.Parse(secret));

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static Dictionary<string, string?> Keys(params string[] keys) =>
        keys.Select((key, index) => (key, index)).ToDictionary(entry => $"Auth:SigningKeys:{entry.index}", entry => (string?)entry.key);
}
