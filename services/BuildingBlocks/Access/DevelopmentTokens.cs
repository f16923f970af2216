using System.Security.Claims;
using Egov.Steering.ReferenceData;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Egov.Steering.Access;

/// <summary>
/// Tokens for local use and tests, signed with a development key that is public (it is in the source) and therefore
/// refused when the environment is Production.
/// </summary>
public static class DevelopmentTokens
{
    public const string Issuer = "egov-steering";
    public const string Audience = "egov-steering";
    public const string DefaultSubject = "developer";

    /// <summary>The development HMAC secret (base64). Public by design: never trusted in Production.</summary>
    public const string SigningKey = "NTWHE+HZHsoyNeuUSJ2s0QGJd8n0g+JYiiSVAsJ3wiM=";

    private static readonly JsonWebTokenHandler Handler = new();

    public static SecurityKey Key { get; } = SigningKeys.Parse(SigningKey);

    /// <summary>Whether a configured key is the development key (in whatever spelling of its base64).</summary>
    public static bool IsDevelopmentKey(SecurityKey key) =>
        key is SymmetricSecurityKey symmetric && symmetric.Key.AsSpan().SequenceEqual(((SymmetricSecurityKey)Key).Key);

    /// <summary>
    /// A signed token for <paramref name="organisation"/> with the given scopes (e.g. <see cref="SteeringScopes.Write"/>).
    /// Tests pass another <paramref name="signingKey"/> (key rotation, foreign keys) or an earlier
    /// <paramref name="issuedAt"/> (expired tokens).
    /// </summary>
    public static string Mint(
        string organisation,
        IEnumerable<string> scopes,
        TimeSpan lifetime,
        string subject = DefaultSubject,
        SecurityKey? signingKey = null,
        DateTimeOffset? issuedAt = null)
    {
        if (!Organisations.IsKnown(organisation))
        {
            throw new ArgumentException($"unknown organisation code '{organisation}'", nameof(organisation));
        }

        var scopeList = scopes.ToList();
        var unknown = scopeList.Except(SteeringScopes.All, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown scope(s): {string.Join(", ", unknown)}", nameof(scopes));
        }

        // A token the services would refuse is no use to mint: the same rules as Caller.TryRead.
        if (SteeringClaims.ProblemWithSubject(subject) is { } problem)
        {
            throw new ArgumentException(problem, nameof(subject));
        }

        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "the lifetime must be positive");
        }

        var key = signingKey ?? Key;
        var issued = (issuedAt ?? DateTimeOffset.UtcNow).UtcDateTime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = issued + lifetime,
            Subject = new ClaimsIdentity(
            [
                new Claim(SteeringClaims.Subject, subject),
                new Claim(SteeringClaims.Organisation, organisation),
                new Claim(SteeringScopes.ClaimType, string.Join(' ', scopeList)),
            ]),
            SigningCredentials = new SigningCredentials(
                key,
                key is SymmetricSecurityKey ? SecurityAlgorithms.HmacSha256 : SecurityAlgorithms.RsaSha256),
        });
    }
}
