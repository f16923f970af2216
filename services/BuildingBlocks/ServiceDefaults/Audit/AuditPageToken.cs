using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Egov.Steering.ServiceDefaults.Errors;
using Google.Rpc;
using Microsoft.IdentityModel.Tokens;

namespace Egov.Steering.ServiceDefaults.Audit;

/// <summary>
/// Where the next page of the audit listing starts (the last record returned), bound to the filter it was issued
/// for. Opaque to clients (base64url). To be replaced by ServiceDefaults/Paging/PageToken once that lands.
/// </summary>
internal sealed record AuditPageToken(long OccurredAtTicks, long Id, string FilterHash)
{
    public string Encode() =>
        Base64UrlEncoder.Encode(string.Create(CultureInfo.InvariantCulture, $"v1|{OccurredAtTicks}|{Id}|{FilterHash}"));

    public static AuditPageToken? Decode(string token, string filterHash)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        string[] parts;
        try
        {
            parts = Base64UrlEncoder.Decode(token).Split('|');
        }
        catch (FormatException)
        {
            throw Invalid("is not a token this service issued");
        }

        if (parts is not ["v1", var ticks, var id, var hash]
            || !long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var occurredAtTicks)
            || !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var lastId))
        {
            throw Invalid("is not a token this service issued");
        }

        if (hash != filterHash)
        {
            throw Invalid("was issued for other filters; repeat the filters of the first page or start again without a token");
        }

        return new AuditPageToken(occurredAtTicks, lastId, hash);
    }

    /// <summary>A short hash of the filter values, so a token cannot be replayed with other filters.</summary>
    public static string HashFilter(params string[] values) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', values))))[..16];

    private static RequestValidationException Invalid(string description) =>
        new([new BadRequest.Types.FieldViolation { Field = "page_token", Description = description }]);
}
