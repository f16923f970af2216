using Egov.Steering.Access;

namespace Egov.Steering.ServiceDefaults.Auth;

/// <summary>Configuration section <c>Auth</c>: how bearer tokens are validated.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>An OpenID Connect authority whose published keys are trusted too (optional).</summary>
    public string? Authority { get; set; }

    /// <summary>The expected <c>iss</c> claim.</summary>
    public string Issuer { get; set; } = DevelopmentTokens.Issuer;

    /// <summary>The expected <c>aud</c> claim.</summary>
    public string Audience { get; set; } = DevelopmentTokens.Audience;

    /// <summary>
    /// Keys whose signatures are accepted: each is a base64 HMAC-SHA256 secret (at least 32 bytes) or an RSA public
    /// key in PEM. Several are accepted at once so that a new key can be rolled out before the old one is retired.
    /// </summary>
    public IList<string> SigningKeys { get; } = [];

    /// <summary>Tolerated clock difference between the token issuer and this service.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
