using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Egov.Steering.Notifications.Webhooks;

/// <summary>
/// The signature a receiver verifies: <c>webhook-signature: v1=hex(HMAC-SHA256(secret, timestamp + "." + body))</c>
/// with <c>webhook-timestamp</c> in Unix seconds (a receiver also refuses stale timestamps against replays).
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "webhook-signature";
    public const string TimestampHeader = "webhook-timestamp";
    public const string IdHeader = "webhook-id";

    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>Constant-time check of a received signature.</summary>
    public static bool Verify(string secret, long unixSeconds, ReadOnlySpan<byte> body, string signature) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Sign(secret, unixSeconds, body)), Encoding.ASCII.GetBytes(signature));
}
