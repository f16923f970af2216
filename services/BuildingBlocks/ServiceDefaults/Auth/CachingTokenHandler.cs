using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace Egov.Steering.ServiceDefaults.Auth;

/// <summary>
/// Validates each bearer token once and then remembers it until it expires (its <c>exp</c>, without the clock skew):
/// a client sending the same token on every call pays for the signature and claim checks, and for reading the caller
/// its claims name (<see cref="CallerIdentity"/>), once. Only tokens the inner handler accepted are remembered, keyed
/// by the whole token (a token differing in any byte, its signature included, is validated afresh); past its expiry a
/// token is validated again, which refuses it once the skew is over too. Each call gets its own copy of the claims.
/// </summary>
public sealed class CachingTokenHandler(TokenHandler inner, TimeProvider time, int capacity = CachingTokenHandler.DefaultCapacity) : TokenHandler
{
    /// <summary>Most tokens remembered; beyond it the cache starts again (a flood of distinct tokens cannot grow it).</summary>
    public const int DefaultCapacity = 10_000;

    private readonly ConcurrentDictionary<string, Validated> validated = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(token);
        var now = time.GetUtcNow().UtcDateTime;
        if (Unexpired(token, now) is { } known)
        {
            return known.Copy();
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result is not { IsValid: true, ClaimsIdentity: { } claims })
        {
            return result;
        }

        result.ClaimsIdentity = CallerIdentity.Read(claims);
        if (result.SecurityToken is { } securityToken && securityToken.ValidTo != DateTime.MinValue && now < securityToken.ValidTo)
        {
            if (validated.Count >= capacity)
            {
                validated.Clear();
            }

            var remembered = new Validated(result, securityToken.ValidTo);
            validated[token] = remembered;
            return remembered.Copy();
        }

        return result;
    }

    /// <summary>
    /// The claims of a remembered, unexpired token that names a caller, as a copy for this call; false for any other
    /// token (the caller then validates it, and this handler answers as <see cref="ValidateTokenAsync(string, TokenValidationParameters)"/> does).
    /// </summary>
    public bool TryRecallCaller(string token, [NotNullWhen(true)] out ClaimsIdentity? claims)
    {
        claims = Unexpired(token, time.GetUtcNow().UtcDateTime)?.Result.ClaimsIdentity is CallerIdentity { Caller: not null } identity
            ? identity.Clone()
            : null;
        return claims is not null;
    }

    // The remembered validation of the token while it is unexpired; an expired one is forgotten.
    private Validated? Unexpired(string token, DateTime now)
    {
        if (!validated.TryGetValue(token, out var known))
        {
            return null;
        }

        if (now < known.Expires)
        {
            return known;
        }

        validated.TryRemove(token, out _);
        return null;
    }

    public override Task<TokenValidationResult> ValidateTokenAsync(SecurityToken token, TokenValidationParameters validationParameters) =>
        inner.ValidateTokenAsync(token, validationParameters);

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    private sealed record Validated(TokenValidationResult Result, DateTime Expires)
    {
        public TokenValidationResult Copy() => new()
        {
            IsValid = true,
            SecurityToken = Result.SecurityToken,
            ClaimsIdentity = Result.ClaimsIdentity.Clone(),
            Issuer = Result.Issuer,
            TokenType = Result.TokenType,
        };
    }
}
