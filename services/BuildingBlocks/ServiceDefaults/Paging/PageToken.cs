using System.Buffers.Text;
using System.IO.Hashing;
using Egov.Steering.ServiceDefaults.Errors;
using Google.Protobuf;

namespace Egov.Steering.ServiceDefaults.Paging;

/// <summary>
/// AIP-158 page tokens for keyset paging: an opaque base64url string carrying the last row's sort key and a hash
/// of the request's other fields, so a token is only accepted with the query that produced it (page_size may
/// change between pages). Tokens are not secret: a tampered key only moves where the next page starts, and
/// every page is still filtered by what the caller may read.
/// </summary>
public static class PageToken
{
    public const string Field = "page_token";

    private const byte FormatVersion = 1;

    /// <summary>The token for the page after the row whose sort key is <paramref name="lastKey"/>.</summary>
    public static string Create(IMessage request, params IReadOnlyList<string> lastKey)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            writer.Write(FormatVersion);
            writer.Write(QueryHash(request));
            writer.Write7BitEncodedInt(lastKey.Count);
            foreach (var part in lastKey)
            {
                writer.Write(part);
            }
        }

        return Base64Url.EncodeToString(buffer.ToArray());
    }

    /// <summary>
    /// The last key carried by <paramref name="token"/> (the request's page_token), or null for the first page.
    /// A malformed token, or one issued for a different query, is INVALID_ARGUMENT on page_token.
    /// </summary>
    public static IReadOnlyList<string>? Parse(IMessage request, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        ulong hash;
        string[] lastKey;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(Base64Url.DecodeFromChars(token)));
            if (reader.ReadByte() != FormatVersion)
            {
                throw Invalid("is not a page token of this service");
            }

            hash = reader.ReadUInt64();
            lastKey = new string[reader.Read7BitEncodedInt()];
            for (var index = 0; index < lastKey.Length; index++)
            {
                lastKey[index] = reader.ReadString();
            }

            if (reader.BaseStream.Position != reader.BaseStream.Length)
            {
                throw Invalid("is not a page token of this service");
            }
        }
        catch (Exception exception) when (exception is FormatException or EndOfStreamException or IOException or OverflowException)
        {
            throw Invalid("is not a page token of this service");
        }

        if (hash != QueryHash(request))
        {
            throw Invalid("was issued for a different query: keep every field but page_size as it was, or start again without a page_token");
        }

        return lastKey;
    }

    // The request as sent without page_token and page_size: the filters and order the token is bound to.
    private static ulong QueryHash(IMessage request)
    {
        var query = request.Descriptor.Parser.ParseFrom(request.ToByteString());
        foreach (var name in new[] { Field, "page_size" })
        {
            query.Descriptor.FindFieldByName(name)?.Accessor.Clear(query);
        }

        return XxHash64.HashToUInt64(query.ToByteArray());
    }

    private static RequestValidationException Invalid(string description) => new(Field, description);
}
