using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Api;
using Google.Protobuf.Reflection;

namespace Egov.Steering.ServiceDefaults.Web;

/// <summary>
/// The OpenAPI 3 document of the JSON/HTTP API, generated from the protos' descriptors: one operation per
/// google.api.http rule (path variables named after the resource patterns, query parameters from the request's other
/// fields as transcoding binds them, the body field), schemas in the proto3 JSON mapping, errors as google.rpc.Status.
/// Swashbuckle's gRPC support names a multi-segment variable (<c>{name=committees/*/memberships/*}</c>) as one
/// segment, which makes different paths collide; this follows the AIP instead.
/// </summary>
public static class OpenApiDocument
{
    private const int MaxQueryDepth = 3;
    private const string StatusSchema = "google.rpc.Status";

    public static string Generate(IEnumerable<MethodDescriptor> methods, IEnumerable<HttpApiEndpoint> streams)
    {
        var methodList = methods.DistinctBy(m => m.FullName).ToList();
        var streamList = streams.ToList();
        var schemas = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var resourcePatterns = ResourcePatterns(methodList.Select(m => m.File).Concat(streamList.Select(s => s.Request.File)));
        var paths = new JsonObject();
        foreach (var method in methodList)
        {
            if (method.GetOptions()?.GetExtension(AnnotationsExtensions.Http) is not { } rule)
            {
                continue;
            }

            var (verb, template) = VerbAndTemplate(rule);
            var (path, pathParameters, pathFields) = OpenApiPath(template, resourcePatterns);
            var operation = new JsonObject
            {
                ["operationId"] = $"{method.Service.Name}_{method.Name}",
                ["summary"] = $"{method.Service.FullName}.{method.Name}",
                ["tags"] = new JsonArray(method.Service.Name),
            };
            var parameters = new JsonArray([.. pathParameters]);
            var bodyField = rule.Body;
            if (bodyField != "*")
            {
                var excluded = new HashSet<string>(pathFields, StringComparer.Ordinal);
                if (bodyField.Length > 0)
                {
                    excluded.Add(bodyField);
                }

                foreach (var parameter in QueryParameters(method.InputType, prefix: string.Empty, excluded, schemas, depth: 0))
                {
                    parameters.Add(parameter);
                }
            }

            if (parameters.Count > 0)
            {
                operation["parameters"] = parameters;
            }

            if (bodyField.Length > 0)
            {
                var bodySchema = bodyField == "*"
                    ? Reference(method.InputType, schemas)
                    : FieldSchema(method.InputType.FindFieldByName(bodyField), schemas);
                operation["requestBody"] = new JsonObject
                {
                    ["required"] = true,
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = bodySchema } },
                };
            }

            var response = new JsonObject
            {
                ["description"] = method.IsServerStreaming
                    ? $"A stream of {method.OutputType.FullName}, one JSON object after another."
                    : method.OutputType.FullName,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(method.OutputType, schemas) } },
            };
            operation["responses"] = Responses(response, schemas);
            AddOperation(paths, path, verb, operation);
        }

        foreach (var stream in streamList)
        {
            var operation = new JsonObject
            {
                ["operationId"] = stream.OperationId,
                ["summary"] = stream.Summary,
                ["tags"] = new JsonArray(stream.Tag),
                ["parameters"] = new JsonArray([.. QueryParameters(stream.Request, string.Empty, new HashSet<string>(), schemas, depth: 0)]),
            };
            var response = new JsonObject
            {
                ["description"] = $"Server-sent events: id = position, event = {string.Join(" | ", stream.EventNames)}, data = proto3 JSON.",
                ["content"] = new JsonObject { ["text/event-stream"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string" } } },
            };
            operation["responses"] = Responses(response, schemas);
            AddOperation(paths, stream.Path, "get", operation);
        }

        var document = new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "egov-steering",
                ["version"] = "v1",
                ["description"] = "The JSON/HTTP API of the register of e-government steering committees, transcoded from the "
                    + "gRPC contracts (protos/, google.api.http rules). Bearer token required; errors are google.rpc.Status.",
            },
            ["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" },
                },
                ["schemas"] = new JsonObject([.. schemas.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))]),
            },
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static JsonObject Responses(JsonObject success, SortedDictionary<string, JsonNode> schemas)
    {
        var status = Reference(Google.Rpc.Status.Descriptor, schemas);
        return new JsonObject
        {
            ["200"] = success,
            ["default"] = new JsonObject
            {
                ["description"] = "An error: google.rpc.Status with its details (HTTP status per code: 400, 401, 403, 404, 409, 429, 503...).",
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = status } },
            },
        };
    }

    private static void AddOperation(JsonObject paths, string path, string verb, JsonObject operation)
    {
        if (paths[path] is not JsonObject item)
        {
            item = new JsonObject();
            paths[path] = item;
        }

        item[verb] = operation;
    }

    private static (string Verb, string Template) VerbAndTemplate(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => ("get", rule.Get),
        HttpRule.PatternOneofCase.Post => ("post", rule.Post),
        HttpRule.PatternOneofCase.Patch => ("patch", rule.Patch),
        HttpRule.PatternOneofCase.Put => ("put", rule.Put),
        HttpRule.PatternOneofCase.Delete => ("delete", rule.Delete),
        _ => throw new InvalidOperationException($"unsupported HTTP rule {rule}"),
    };

    // "/v1/{name=committees/*/memberships/*}:correct" → "/v1/committees/{committee}/memberships/{membership}:correct".
    private static (string Path, List<JsonNode> Parameters, List<string> Fields) OpenApiPath(
        string template, IReadOnlyList<string[]> resourcePatterns)
    {
        var parameters = new List<JsonNode>();
        var fields = new List<string>();
        var path = System.Text.RegularExpressions.Regex.Replace(template, @"\{([a-z0-9_.]+)(?:=([^}]*))?\}", match =>
        {
            var field = match.Groups[1].Value;
            fields.Add(field);
            var segments = (match.Groups[2].Success ? match.Groups[2].Value : "*").Split('/');
            var names = VariableNames(segments, resourcePatterns, field);
            var parts = new List<string>();
            var variable = 0;
            for (var i = 0; i < segments.Length; i++)
            {
                if (segments[i] != "*")
                {
                    parts.Add(segments[i]);
                    continue;
                }

                var name = names[variable++];
                parts.Add("{" + name + "}");
                parameters.Add(new JsonObject
                {
                    ["name"] = name,
                    ["in"] = "path",
                    ["required"] = true,
                    ["description"] = $"A segment of `{field}` ({string.Join('/', segments)}).",
                    ["schema"] = new JsonObject { ["type"] = "string" },
                });
            }

            return string.Join('/', parts);
        });
        return (path, parameters, fields);
    }

    private static List<string> VariableNames(string[] segments, IReadOnlyList<string[]> resourcePatterns, string field)
    {
        foreach (var pattern in resourcePatterns)
        {
            if (pattern.Length == segments.Length
                && pattern.Zip(segments).All(p => p.Second == "*" ? p.First.StartsWith('{') : p.First == p.Second))
            {
                return [.. pattern.Where(p => p.StartsWith('{')).Select(p => p.Trim('{', '}'))];
            }
        }

        return [.. segments.Where(s => s == "*").Select((_, i) => $"{field.Replace('.', '_')}_{i}")];
    }

    private static List<string[]> ResourcePatterns(IEnumerable<FileDescriptor> files)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var patterns = new List<string[]>();
        var pending = new Stack<FileDescriptor>(files);
        while (pending.TryPop(out var file))
        {
            if (!seen.Add(file.Name))
            {
                continue;
            }

            foreach (var dependency in file.Dependencies)
            {
                pending.Push(dependency);
            }

            foreach (var message in file.MessageTypes)
            {
                if (message.GetOptions()?.GetExtension(ResourceExtensions.Resource) is { } resource)
                {
                    patterns.AddRange(resource.Pattern.Select(p => p.Split('/')));
                }
            }
        }

        return patterns;
    }

    private static IEnumerable<JsonNode> QueryParameters(
        MessageDescriptor message, string prefix, IReadOnlySet<string> excluded, SortedDictionary<string, JsonNode> schemas, int depth)
    {
        foreach (var field in message.Fields.InFieldNumberOrder())
        {
            var name = prefix + field.Name;
            if (excluded.Contains(name) || field.IsMap)
            {
                continue;
            }

            if (field.FieldType == FieldType.Message && !IsScalarInJson(field.MessageType) && !field.IsRepeated)
            {
                if (depth < MaxQueryDepth)
                {
                    foreach (var nested in QueryParameters(field.MessageType, name + ".", excluded, schemas, depth + 1))
                    {
                        yield return nested;
                    }
                }

                continue;
            }

            if (field.FieldType == FieldType.Message && !IsScalarInJson(field.MessageType))
            {
                continue; // a repeated message has no query form
            }

            var parameter = new JsonObject
            {
                ["name"] = name,
                ["in"] = "query",
                ["schema"] = FieldSchema(field, schemas),
            };
            if (field.IsRepeated)
            {
                parameter["explode"] = true;
            }

            yield return parameter;
        }
    }

    // Well-known types written as JSON strings, so they can be query parameters.
    private static bool IsScalarInJson(MessageDescriptor message) => message.FullName is
        "google.protobuf.Timestamp" or "google.protobuf.Duration" or "google.protobuf.FieldMask"
        or "google.protobuf.StringValue" or "google.protobuf.Int64Value" or "google.protobuf.Int32Value"
        or "google.protobuf.BoolValue" or "google.protobuf.DoubleValue";

    private static JsonNode FieldSchema(FieldDescriptor field, SortedDictionary<string, JsonNode> schemas)
    {
        if (field.IsMap)
        {
            var value = field.MessageType.FindFieldByNumber(2);
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = SingleSchema(value, schemas) };
        }

        var single = SingleSchema(field, schemas);
        return field.IsRepeated ? new JsonObject { ["type"] = "array", ["items"] = single } : single;
    }

    private static JsonNode SingleSchema(FieldDescriptor field, SortedDictionary<string, JsonNode> schemas) => field.FieldType switch
    {
        FieldType.String => new JsonObject { ["type"] = "string" },
        FieldType.Bytes => new JsonObject { ["type"] = "string", ["format"] = "byte" },
        FieldType.Bool => new JsonObject { ["type"] = "boolean" },
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => new JsonObject { ["type"] = "integer", ["format"] = "int32" },
        FieldType.UInt32 or FieldType.Fixed32 => new JsonObject { ["type"] = "integer", ["format"] = "int32", ["minimum"] = 0 },
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 or FieldType.UInt64 or FieldType.Fixed64
            => new JsonObject { ["type"] = "string", ["format"] = "int64" },
        FieldType.Double => new JsonObject { ["type"] = "number", ["format"] = "double" },
        FieldType.Float => new JsonObject { ["type"] = "number", ["format"] = "float" },
        FieldType.Enum => new JsonObject
        {
            ["type"] = "string",
            ["enum"] = new JsonArray([.. field.EnumType.Values.Select(v => (JsonNode)JsonValue.Create(v.Name))]),
        },
        _ => Reference(field.MessageType, schemas),
    };

    private static JsonNode Reference(MessageDescriptor message, SortedDictionary<string, JsonNode> schemas)
    {
        switch (message.FullName)
        {
            case "google.protobuf.Timestamp":
                return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
            case "google.protobuf.Duration":
                return new JsonObject { ["type"] = "string", ["description"] = "seconds with an s suffix, e.g. 1.5s" };
            case "google.protobuf.FieldMask":
                return new JsonObject { ["type"] = "string", ["description"] = "comma-separated field paths" };
            case "google.protobuf.Empty":
                return new JsonObject { ["type"] = "object" };
            case "google.protobuf.Any":
                return new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { ["@type"] = new JsonObject { ["type"] = "string" } },
                    ["additionalProperties"] = true,
                };
            case "google.protobuf.Struct" or "google.protobuf.Value":
                return new JsonObject();
        }

        if (!schemas.ContainsKey(message.FullName))
        {
            schemas[message.FullName] = new JsonObject(); // placeholder: recursive types end here
            var properties = new JsonObject();
            foreach (var field in message.Fields.InFieldNumberOrder())
            {
                properties[field.JsonName] = FieldSchema(field, schemas);
            }

            schemas[message.FullName] = new JsonObject { ["type"] = "object", ["properties"] = properties };
        }

        return new JsonObject { ["$ref"] = "#/components/schemas/" + message.FullName };
    }
}
