using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Egov.Steering.Access;

/// <summary>Turns the configured key strings into security keys with stable key ids.</summary>
public static class SigningKeys
{
    private const int MinimumSecretBytes = 32;

    public static SecurityKey Parse(string configured)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configured);
        var text = configured.Trim();
        if (text.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(text);
            return new RsaSecurityKey(rsa) { KeyId = KeyIdOf(rsa.ExportSubjectPublicKeyInfo()) };
        }

        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("an Auth:SigningKeys entry is neither an RSA PEM key nor base64");
        }

        if (secret.Length < MinimumSecretBytes)
        {
            throw new InvalidOperationException(
                $"an Auth:SigningKeys HMAC secret has {secret.Length} bytes; at least {MinimumSecretBytes} are required");
        }

        return new SymmetricSecurityKey(secret) { KeyId = KeyIdOf(secret) };
    }

    /// <summary>
    /// A key id derived from the key itself, so that issuer and validator agree on it without configuring one and a
    /// token names the key it was signed with (the validator tries that key first).
    /// </summary>
    private static string KeyIdOf(byte[] material) =>
        Base64UrlEncoder.Encode(SHA256.HashData(material)[..12]);
}
