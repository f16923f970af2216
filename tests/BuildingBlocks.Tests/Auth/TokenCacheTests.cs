using System.Security.Claims;
using Egov.Steering.Access;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Egov.Steering.BuildingBlocks.Tests.Auth;

/// <summary>
/// The token cache validates a token once until it expires, and never accepts what the validation would refuse: a
/// token past its expiry, or the same claims under another signature.
/// </summary>
public sealed class TokenCacheTests
{
    private readonly MovableClock clock = new(DateTimeOffset.UtcNow);
    private readonly CountingHandler inner = new();

    [Fact]
    public async Task A_token_is_validated_once_and_each_call_gets_its_own_claims()
    {
        var handler = new CachingTokenHandler(inner, clock);
        var token = Mint(TimeSpan.FromHours(1));

        var first = await handler.ValidateTokenAsync(token, Parameters());
        var second = await handler.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, inner.Validations);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal(first.ClaimsIdentity.Claims.Select(c => (c.Type, c.Value)), second.ClaimsIdentity.Claims.Select(c => (c.Type, c.Value)));
    }

    [Fact]
    public async Task The_caller_a_remembered_token_names_is_read_once()
    {
        var handler = new CachingTokenHandler(inner, clock);
        var token = Mint(TimeSpan.FromHours(1));

        var first = Caller.From(new ClaimsPrincipal((await handler.ValidateTokenAsync(token, Parameters())).ClaimsIdentity));
        var second = Caller.From(new ClaimsPrincipal((await handler.ValidateTokenAsync(token, Parameters())).ClaimsIdentity));

        Assert.Equal(Organisations.National, first.Organisation);
        Assert.Same(first, second);
    }

    [Fact]
    public async Task A_remembered_token_that_names_no_caller_names_none_on_every_call()
    {
        var handler = new CachingTokenHandler(inner, clock);
        var token = AuthTestKit.SignedDevelopmentToken(new() { ["sub"] = "operator", ["org"] = "NATIONAL" }, clock.GetUtcNow().UtcDateTime.AddHours(1), clock.GetUtcNow().UtcDateTime);

        foreach (var call in Enumerable.Range(0, 2))
        {
            var claims = new ClaimsPrincipal((await handler.ValidateTokenAsync(token, Parameters())).ClaimsIdentity);
            Assert.False(Caller.TryRead(claims, out _, out var problem));
            Assert.Contains("not a known organisation code", problem, StringComparison.Ordinal);
            Assert.Same(Caller.Anonymous, Caller.From(claims));
        }

        Assert.Equal(1, inner.Validations);
    }

    [Fact]
    public async Task A_remembered_caller_is_recalled_until_its_token_expires_and_one_naming_no_caller_never()
    {
        var handler = new CachingTokenHandler(inner, clock);
        var token = Mint(TimeSpan.FromMinutes(5));
        var noCaller = AuthTestKit.SignedDevelopmentToken(new() { ["sub"] = "operator", ["org"] = "NATIONAL" }, clock.GetUtcNow().UtcDateTime.AddHours(1), clock.GetUtcNow().UtcDateTime);
        Assert.False(handler.TryRecallCaller(token, out _)); // not validated yet
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.True((await handler.ValidateTokenAsync(noCaller, Parameters())).IsValid);

        Assert.True(handler.TryRecallCaller(token, out var first));
        Assert.True(handler.TryRecallCaller(token, out var second));
        Assert.NotSame(first, second);
        Assert.Equal(Organisations.National, Caller.From(new ClaimsPrincipal(first)).Organisation);
        Assert.False(handler.TryRecallCaller(noCaller, out _));

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.False(handler.TryRecallCaller(token, out _));
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_it_has_expired()
    {
        var handler = new CachingTokenHandler(inner, clock);
        var token = Mint(TimeSpan.FromMinutes(5));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);

        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.False((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.Equal(2, inner.Validations);
    }

    [Fact]
    public async Task The_same_claims_under_another_signature_are_validated_afresh_and_refused()
    {
        var handler = new CachingTokenHandler(inner, clock);
        var token = Mint(TimeSpan.FromHours(1));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);

        var foreignKey = new SymmetricSecurityKey(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var foreign = Mint(TimeSpan.FromHours(1), foreignKey);
        var signature = token[(token.LastIndexOf('.') + 1)..];
        var tampered = token[..(token.LastIndexOf('.') + 1)] + (signature[0] == 'A' ? 'B' : 'A') + signature[1..];

        Assert.False((await handler.ValidateTokenAsync(foreign, Parameters())).IsValid);
        Assert.False((await handler.ValidateTokenAsync(tampered, Parameters())).IsValid);
        Assert.Equal(3, inner.Validations);
    }

    [Fact]
    public async Task A_refused_token_is_not_remembered()
    {
        var handler = new CachingTokenHandler(inner, clock);
        var expired = Mint(TimeSpan.FromMinutes(1), issuedAt: clock.GetUtcNow().AddHours(-1));

        Assert.False((await handler.ValidateTokenAsync(expired, Parameters())).IsValid);
        Assert.False((await handler.ValidateTokenAsync(expired, Parameters())).IsValid);
        Assert.Equal(2, inner.Validations);
    }

    private string Mint(TimeSpan lifetime, SecurityKey? key = null, DateTimeOffset? issuedAt = null) =>
        DevelopmentTokens.Mint(Organisations.National, [SteeringScopes.Read], lifetime, signingKey: key, issuedAt: issuedAt ?? clock.GetUtcNow());

    // As the services validate (no clock skew here), on the test's clock.
    private TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = DevelopmentTokens.Issuer,
        ValidAudience = DevelopmentTokens.Audience,
        IssuerSigningKey = DevelopmentTokens.Key,
        ValidateIssuerSigningKey = true,
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.Zero,
        LifetimeValidator = (notBefore, expires, _, _) => expires > clock.GetUtcNow().UtcDateTime && (notBefore ?? DateTime.MinValue) <= clock.GetUtcNow().UtcDateTime,
    };

    private sealed class CountingHandler : JsonWebTokenHandler
    {
        public int Validations { get; private set; }

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Validations++;
            return base.ValidateTokenAsync(token, validationParameters);
        }
    }

    private sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset now = now;

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
