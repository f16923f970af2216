using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Egov.Steering.ServiceDefaults.Errors;

/// <summary>
/// Keeps every error's trailers small whatever the request held: messages and details quote the caller's input, and
/// trailers travel in HTTP/2 headers, which clients cap (commonly 8 or 16 KiB) — past the cap a client reports a
/// timeout or drops the connection instead of the error. Each quoted value is cut to <see cref="MaxValueLength"/>
/// characters, a detail lists at most <see cref="MaxViolations"/> violations (fewer when they would not fit), grpc-message is at most
/// <see cref="MaxMessageBytes"/> bytes and grpc-status-details-bin at most <see cref="MaxDetailsBytes"/> (before its
/// base64), so the trailers of any error stay under 5 KiB.
/// </summary>
public static class ErrorBounds
{
    public const int MaxValueLength = 200;
    public const int MaxViolations = 20;
    public const int MaxMessageBytes = 512;
    public const int MaxDetailsBytes = 2048;

    private const string Ellipsis = "…";

    /// <summary><paramref name="value"/> cut to <paramref name="maxLength"/> characters with an ellipsis (never splitting a surrogate pair).</summary>
    public static string Truncate(string value, int maxLength = MaxValueLength)
    {
        if (value.Length <= maxLength)
        {
            return value;
        }

        var length = maxLength - Ellipsis.Length;
        if (char.IsHighSurrogate(value[length - 1]))
        {
            length--;
        }

        return string.Concat(value.AsSpan(0, length), Ellipsis);
    }

    /// <summary>The status with its message and details within the bounds.</summary>
    public static Google.Rpc.Status Bound(Google.Rpc.Status status)
    {
        var message = TruncateUtf8(status.Message, MaxMessageBytes);
        Google.Rpc.Status bounded;
        var violations = MaxViolations;
        do
        {
            // Fewer violations first: the first ones name the fields to fix.
            bounded = new Google.Rpc.Status { Code = status.Code, Message = message };
            bounded.Details.Add(status.Details.Select(detail => BoundDetail(detail, violations)));
            violations /= 2;
        }
        while (bounded.CalculateSize() > MaxDetailsBytes && violations >= 1);

        // Details still past the budget are dropped from the last, keeping the ErrorInfo (first) that clients switch on.
        while (bounded.CalculateSize() > MaxDetailsBytes && bounded.Details.Count > 1)
        {
            bounded.Details.RemoveAt(bounded.Details.Count - 1);
        }

        if (bounded.CalculateSize() > MaxDetailsBytes)
        {
            bounded.Details.Clear();
        }

        return bounded;
    }

    /// <summary>
    /// An RpcException thrown as it is (not an <see cref="ApiException"/>) within the bounds: its rich status when it
    /// carries one, else its message.
    /// </summary>
    public static RpcException Bound(RpcException exception)
    {
        if (exception.GetRpcStatus() is { } status)
        {
            return Bound(status).ToRpcException();
        }

        var detail = TruncateUtf8(exception.Status.Detail, MaxMessageBytes);
        return detail.Length == exception.Status.Detail.Length && TrailersFit(exception.Trailers)
            ? exception
            : new RpcException(new Grpc.Core.Status(exception.StatusCode, detail));
    }

    private static bool TrailersFit(Metadata trailers) =>
        trailers.Sum(entry => entry.Key.Length + (entry.IsBinary ? entry.ValueBytes.Length : Encoding.UTF8.GetByteCount(entry.Value))) <= MaxDetailsBytes;

    private static Any BoundDetail(Any detail, int maxViolations)
    {
        if (detail.TryUnpack<BadRequest>(out var badRequest))
        {
            var bounded = new BadRequest();
            bounded.FieldViolations.Add(Limit(badRequest.FieldViolations, maxViolations, v => new BadRequest.Types.FieldViolation
            {
                Field = Truncate(v.Field),
                Description = Truncate(v.Description),
                Reason = Truncate(v.Reason),
            }, omitted => new BadRequest.Types.FieldViolation { Field = Ellipsis, Description = $"{omitted} more violations not shown" }));
            return Any.Pack(bounded);
        }

        if (detail.TryUnpack<PreconditionFailure>(out var precondition))
        {
            var bounded = new PreconditionFailure();
            bounded.Violations.Add(Limit(precondition.Violations, maxViolations, v => new PreconditionFailure.Types.Violation
            {
                Type = Truncate(v.Type),
                Subject = Truncate(v.Subject),
                Description = Truncate(v.Description),
            }, omitted => new PreconditionFailure.Types.Violation { Type = Ellipsis, Description = $"{omitted} more violations not shown" }));
            return Any.Pack(bounded);
        }

        if (detail.TryUnpack<ErrorInfo>(out var info))
        {
            var bounded = new ErrorInfo { Domain = Truncate(info.Domain), Reason = Truncate(info.Reason) };
            foreach (var (key, value) in info.Metadata.Take(MaxViolations))
            {
                bounded.Metadata[Truncate(key)] = Truncate(value);
            }

            return Any.Pack(bounded);
        }

        if (detail.TryUnpack<ResourceInfo>(out var resource))
        {
            return Any.Pack(new ResourceInfo
            {
                ResourceType = Truncate(resource.ResourceType),
                ResourceName = Truncate(resource.ResourceName),
                Owner = Truncate(resource.Owner),
                Description = Truncate(resource.Description),
            });
        }

        return detail; // other kinds quote no input; the total budget still bounds them
    }

    private static IEnumerable<T> Limit<T>(IReadOnlyCollection<T> items, int max, Func<T, T> bound, Func<int, T> omitted) =>
        items.Count <= max
            ? items.Select(bound)
            : items.Take(Math.Max(1, max - 1)).Select(bound).Append(omitted(items.Count - Math.Max(1, max - 1)));

    private static string TruncateUtf8(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        // Characters take at most 3 bytes (a surrogate pair 4 for two characters), the ellipsis 3.
        var length = Math.Min(text.Length, (maxBytes - 3) / 3);
        while (Encoding.UTF8.GetByteCount(text.AsSpan(0, length + 1)) + 3 <= maxBytes && length + 1 <= text.Length - 1)
        {
            length++;
        }

        return Truncate(text, length + Ellipsis.Length);
    }
}
