using System.Collections;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Egov.Steering.ServiceDefaults.Web;
using Google.Api;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Egov.Steering.AllInOne.Tests.Web;

/// <summary>
/// Calls one method both ways with the same request: over gRPC, and over HTTP as its google.api.http rule maps it
/// (path variables from the request, the body field as JSON, every other set field as a query parameter), written
/// here from AIP-127 independently of the server's transcoding. An answer is the response message, or the error's
/// google.rpc.Status (over HTTP: with the HTTP status checked against the code).
/// </summary>
public sealed partial class HttpRuleClient(HttpClient http, CallInvoker grpc)
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(JsonStatus.DetailTypes));

    public static HttpRule RuleOf(MethodDescriptor method) =>
        method.GetOptions()?.GetExtension(AnnotationsExtensions.Http) ?? throw new InvalidOperationException($"{method.FullName} has no google.api.http rule");

    public async Task<Answer> GrpcAsync(MethodDescriptor method, IMessage request, string? token)
    {
        var call = new Method<IMessage, IMessage>(
            MethodType.Unary,
            method.Service.FullName,
            method.Name,
            Marshallers.Create<IMessage>(m => m.ToByteArray(), bytes => method.InputType.Parser.ParseFrom(bytes)),
            Marshallers.Create<IMessage>(m => m.ToByteArray(), bytes => method.OutputType.Parser.ParseFrom(bytes)));
        try
        {
            var headers = token is null ? [] : new Metadata { { "Authorization", "Bearer " + token } };
            return new Answer(await grpc.AsyncUnaryCall(call, null, new CallOptions(headers), request), null, null);
        }
        catch (RpcException exception)
        {
            return new Answer(null, exception.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)exception.StatusCode, Message = exception.Status.Detail }, null);
        }
    }

    public async Task<Answer> HttpAsync(MethodDescriptor method, IMessage request, string? token)
    {
        using var message = ToHttp(method, request);
        if (token is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        if (response.IsSuccessStatusCode)
        {
            return new Answer(method.OutputType.Parser.ParseJson(body), null, (int)response.StatusCode);
        }

        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        var status = Parser.Parse<Google.Rpc.Status>(body);
        Assert.Equal(JsonStatus.HttpStatusOf((StatusCode)status.Code), (int)response.StatusCode);
        return new Answer(null, status, (int)response.StatusCode);
    }

    public static (HttpMethod Verb, string Template) VerbAndTemplate(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => (HttpMethod.Get, rule.Get),
        HttpRule.PatternOneofCase.Post => (HttpMethod.Post, rule.Post),
        HttpRule.PatternOneofCase.Patch => (HttpMethod.Patch, rule.Patch),
        HttpRule.PatternOneofCase.Delete => (HttpMethod.Delete, rule.Delete),
        _ => throw new InvalidOperationException(rule.ToString()),
    };

    /// <summary>The HTTP request AIP-127 maps <paramref name="request"/> to.</summary>
    public static HttpRequestMessage ToHttp(MethodDescriptor method, IMessage request)
    {
        var rule = RuleOf(method);
        var (verb, template) = VerbAndTemplate(rule);
        var bound = new HashSet<string>(StringComparer.Ordinal);
        var path = PathVariable().Replace(template, match =>
        {
            bound.Add(match.Groups[1].Value);
            var value = (string)ValueAt(request, match.Groups[1].Value)!;
            return string.Join('/', value.Split('/').Select(Uri.EscapeDataString));
        });

        HttpContent? content = null;
        if (rule.Body == "*")
        {
            content = Json(JsonFormatter.Default.Format(request));
        }
        else if (rule.Body.Length > 0)
        {
            bound.Add(rule.Body);
            var field = method.InputType.FindFieldByName(rule.Body);
            content = Json(field.Accessor.GetValue(request) is IMessage body ? JsonFormatter.Default.Format(body) : "{}");
        }

        var query = new List<string>();
        if (rule.Body != "*")
        {
            AddQuery(request, string.Empty, bound, query);
        }

        var uri = path.TrimStart('/') + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty);
        return new HttpRequestMessage(verb, uri) { Content = content };
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static object? ValueAt(IMessage message, string fieldPath)
    {
        object? value = message;
        foreach (var name in fieldPath.Split('.'))
        {
            var current = (IMessage)value!;
            value = current.Descriptor.FindFieldByName(name).Accessor.GetValue(current);
        }

        return value;
    }

    private static void AddQuery(IMessage message, string prefix, IReadOnlySet<string> bound, List<string> query)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var name = prefix + field.Name;
            if (bound.Contains(name))
            {
                continue;
            }

            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                foreach (var item in (IEnumerable)value)
                {
                    query.Add($"{name}={Uri.EscapeDataString(QueryText(field, item))}");
                }
            }
            else if (field.FieldType == FieldType.Message)
            {
                if (value is IMessage nested)
                {
                    if (nested.Descriptor.FullName is "google.protobuf.Timestamp" or "google.protobuf.FieldMask")
                    {
                        query.Add($"{name}={Uri.EscapeDataString(QueryText(field, nested))}");
                    }
                    else
                    {
                        AddQuery(nested, name + ".", bound, query);
                    }
                }
            }
            else if (field.HasPresence ? field.Accessor.HasValue(message) : !IsDefault(value))
            {
                query.Add($"{name}={Uri.EscapeDataString(QueryText(field, value))}");
            }
        }
    }

    private static bool IsDefault(object value) => value switch
    {
        string s => s.Length == 0,
        bool b => !b,
        int i => i == 0,
        long l => l == 0,
        Enum e => Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture) == 0,
        _ => false,
    };

    // A field mask as the proto names its paths (update_mask=display_name,contact), as HTTP-PATHS.md documents.
    private static string QueryText(FieldDescriptor field, object value) => value switch
    {
        Google.Protobuf.WellKnownTypes.FieldMask mask => string.Join(',', mask.Paths),
        IMessage wellKnown => JsonFormatter.Default.Format(wellKnown).Trim('"'),
        bool b => b ? "true" : "false",
        Enum e => field.EnumType.FindValueByNumber(Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture)).Name,
        IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    [GeneratedRegex(@"\{([a-z0-9_.]+)(?:=[^}]*)?\}")]
    private static partial Regex PathVariable();

    /// <summary>A method's answer: its response or its error.</summary>
    public sealed record Answer(IMessage? Response, Google.Rpc.Status? Error, int? HttpStatus);
}
