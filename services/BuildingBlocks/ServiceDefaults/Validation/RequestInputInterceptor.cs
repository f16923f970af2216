using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Egov.Steering.ServiceDefaults.Errors;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Egov.Steering.ServiceDefaults.Validation;

/// <summary>
/// Holds every request message of every method to <see cref="RequestLimits"/> before the method runs, walking it by
/// its descriptor (so a new RPC is covered without code): strings without NUL or control characters other than tab
/// and line breaks, valid Unicode (no lone surrogate), normalised to NFC in place; timestamps, durations and dates
/// within their types' ranges; bounded lengths and element counts (enums are left to each method's validation, which
/// reports them together with the request's other problems). Anything else is
/// INVALID_ARGUMENT naming the field — before it can reach a database that rejects it or a conversion that throws.
/// </summary>
public sealed class RequestInputInterceptor : Interceptor
{
    // google.protobuf.Timestamp's documented range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
    private const long MinTimestampSeconds = -62_135_596_800;
    private const long MaxTimestampSeconds = 253_402_300_799;

    // google.protobuf.Duration's documented range: ±10,000 years.
    private const long MaxDurationSeconds = 315_576_000_000;
    private const int MaxNanos = 999_999_999;

    // Per message type, computed once: which fields a request's walk visits.
    private static readonly ConcurrentDictionary<MessageDescriptor, FieldDescriptor[]> CheckedFields = new();

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(new CheckedReader<TRequest>(requestStream), context);

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(new CheckedReader<TRequest>(requestStream), responseStream, context);

    /// <summary>Throws <see cref="RequestValidationException"/> listing what breaks the limits; normalises strings to NFC.</summary>
    public static void Check(object request)
    {
        if (request is not IMessage message)
        {
            return;
        }

        var violations = new List<FieldViolation>();
        Walk(message, string.Empty, violations);
        if (violations.Count > 0)
        {
            throw new RequestValidationException(violations);
        }
    }

    private static void Walk(IMessage message, string path, List<FieldViolation> violations)
    {
        foreach (var field in CheckedFields.GetOrAdd(message.Descriptor, FieldsToCheck))
        {
            if (violations.Count >= ErrorBounds.MaxViolations)
            {
                return;
            }

            var fieldPath = path.Length == 0 ? field.Name : $"{path}.{field.Name}";
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                WalkMap((IDictionary)value, fieldPath, violations);
            }
            else if (field.IsRepeated)
            {
                var list = (IList)value;
                if (list.Count > RequestLimits.MaxElements)
                {
                    violations.Add(new(fieldPath, $"must have at most {RequestLimits.MaxElements} elements (has {list.Count})"));
                    continue;
                }

                for (var i = 0; i < list.Count && violations.Count < ErrorBounds.MaxViolations; i++)
                {
                    if (CheckValue(list[i]!, $"{fieldPath}[{i}]", violations) is { } normalized)
                    {
                        list[i] = normalized;
                    }
                }
            }
            else if (value is not null && CheckValue(value, fieldPath, violations) is { } normalized)
            {
                field.Accessor.SetValue(message, normalized);
            }
        }
    }

    /// <summary>
    /// The fields of a message type that can break a limit, in field number order: text, bytes, messages and
    /// collections. Numbers, booleans and enums cannot, so a message of only those costs nothing to walk.
    /// </summary>
    private static FieldDescriptor[] FieldsToCheck(MessageDescriptor descriptor) =>
        [.. descriptor.Fields.InFieldNumberOrder().Where(field =>
            field.IsMap || field.IsRepeated || field.FieldType is FieldType.String or FieldType.Bytes or FieldType.Message or FieldType.Group)];

    private static void WalkMap(IDictionary map, string path, List<FieldViolation> violations)
    {
        if (map.Count > RequestLimits.MaxElements)
        {
            violations.Add(new(path, $"must have at most {RequestLimits.MaxElements} entries (has {map.Count})"));
            return;
        }

        foreach (var key in map.Keys.Cast<object>().ToList())
        {
            var entryPath = $"{path}[{ErrorBounds.Truncate(Convert.ToString(key, CultureInfo.InvariantCulture) ?? string.Empty, 40)}]";
            if (key is string text && TextProblem(text) is { } problem)
            {
                violations.Add(new(entryPath, "key " + problem));
            }
            else if (CheckValue(map[key]!, entryPath, violations) is { } normalized)
            {
                map[key] = normalized;
            }
        }
    }

    /// <summary>Checks one value; returns its replacement when normalising changed it.</summary>
    private static object? CheckValue(object value, string path, List<FieldViolation> violations)
    {
        switch (value)
        {
            case string text:
                if (TextProblem(text) is { } problem)
                {
                    violations.Add(new(path, problem));
                    return null;
                }

                return text.IsNormalized(NormalizationForm.FormC) ? null : text.Normalize(NormalizationForm.FormC);
            case ByteString bytes when bytes.Length > RequestLimits.MaxStringLength:
                violations.Add(new(path, $"must be at most {RequestLimits.MaxStringLength} bytes (has {bytes.Length})"));
                return null;
            case IMessage message:
                if (RangeProblem(message) is { } outOfRange)
                {
                    violations.Add(new(path, outOfRange));
                }
                else
                {
                    Walk(message, path, violations);
                }

                return null;
            default:
                return null;
        }
    }

    private static string? TextProblem(string text)
    {
        if (text.Length > RequestLimits.MaxStringLength)
        {
            return $"must be at most {RequestLimits.MaxStringLength} characters (has {text.Length})";
        }

        for (var i = 0; i < text.Length; i++)
        {
            var character = text[i];
            if (character == '\0')
            {
                return "must not contain NUL characters";
            }

            if (char.IsControl(character) && character is not ('\t' or '\n' or '\r'))
            {
                return $"must not contain control characters (U+{(int)character:X4} at {i})";
            }

            if (char.IsHighSurrogate(character) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(character))
            {
                return $"is not valid Unicode (a lone surrogate at {i})";
            }
        }

        return null;
    }

    private static string? RangeProblem(IMessage message) => message switch
    {
        Timestamp { Seconds: < MinTimestampSeconds or > MaxTimestampSeconds } or Timestamp { Nanos: < 0 or > MaxNanos } =>
            "must be a timestamp from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z (nanos 0 to 999999999)",
        Duration duration when duration.Seconds is < -MaxDurationSeconds or > MaxDurationSeconds
            || duration.Nanos is < -MaxNanos or > MaxNanos
            || (duration.Seconds < 0 && duration.Nanos > 0) || (duration.Seconds > 0 && duration.Nanos < 0) =>
            "must be a duration within ±10,000 years, with nanos of the seconds' sign below 1 second",
        Google.Type.Date date when !IsDate(date) =>
            "must be a date: year 0-9999, month 0-12, day 0-31 within the month (a day needs a month)",
        _ => null,
    };

    private static bool IsDate(Google.Type.Date date) =>
        date is { Year: >= 0 and <= 9999, Month: >= 0 and <= 12, Day: >= 0 and <= 31 }
        && (date.Day == 0 || (date.Month > 0 && date.Day <= DateTime.DaysInMonth(date.Year == 0 ? 2000 : date.Year, date.Month)));

    private sealed class CheckedReader<T>(IAsyncStreamReader<T> inner) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!await inner.MoveNext(cancellationToken))
            {
                return false;
            }

            Check(inner.Current!);
            return true;
        }
    }
}
