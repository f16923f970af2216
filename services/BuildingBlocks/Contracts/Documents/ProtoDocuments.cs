using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Egov.Steering.Documents;

/// <summary>
/// Messages written by people as files: the protobuf JSON mapping, or the same document in YAML. YAML scalars are read
/// as JSON strings (the JSON mapping accepts "2020" for a number and an enum's name), except plain true/false/null, so
/// <c>number: 337</c> stays the text "337". One reader for the sandbox's sample data and steeringctl's decision files.
/// </summary>
public static class ProtoDocuments
{
    /// <summary>The protobuf JSON parser that refuses unknown fields (a misspelt field is an error, not silently lost).</summary>
    public static JsonParser Parser { get; } = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    private static readonly ISerializer YamlWriter = new SerializerBuilder().WithQuotingNecessaryStrings().DisableAliases().Build();

    /// <summary>One YAML document as the JSON tree of the same document.</summary>
    /// <exception cref="ProtoDocumentException">The YAML does not parse (the message gives the line and column).</exception>
    public static JsonNode ReadYaml(TextReader reader)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(reader);
        }
        catch (YamlException exception)
        {
            var reason = (exception.InnerException ?? exception).Message;
            // YamlDotNet prefixes its messages with the position, which is said once, in words, here.
            var afterPosition = reason.IndexOf("): ", StringComparison.Ordinal);
            reason = reason.StartsWith("(Line:", StringComparison.Ordinal) && afterPosition > 0 ? reason[(afterPosition + 3)..] : reason;
            throw new ProtoDocumentException($"line {exception.Start.Line}, column {exception.Start.Column}: {reason}", exception);
        }

        return stream.Documents.Count switch
        {
            0 => new JsonObject(),
            1 => ToJson(stream.Documents[0].RootNode) ?? new JsonObject(),
            var count => throw new ProtoDocumentException($"expected one YAML document, found {count} (separated by ---)"),
        };
    }

    /// <summary>A message as YAML that <see cref="ReadYaml"/> reads back to the same message.</summary>
    public static string WriteYaml(IMessage message) =>
        YamlWriter.Serialize(ToGraph(JsonNode.Parse(JsonFormatter.Default.Format(message))));

    /// <summary>
    /// A stable UUID (version 5 layout) for <paramref name="key"/>: the request_id of a write that must not happen twice
    /// when retried, e.g. after a restart or a lost answer.
    /// </summary>
    public static string RequestId(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(child =>
            KeyValuePair.Create(((YamlScalarNode)child.Key).Value ?? string.Empty, ToJson(child.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" } => null,
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } scalar => JsonValue.Create(scalar.Value == "true"),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? string.Empty),
        _ => throw new ProtoDocumentException($"line {node.Start.Line}, column {node.Start.Column}: unsupported YAML node"),
    };

    private static object? ToGraph(JsonNode? node) => node switch
    {
        JsonObject json => json.ToDictionary(property => property.Key, property => ToGraph(property.Value)),
        JsonArray json => json.Select(ToGraph).ToList(),
        JsonValue json when json.GetValueKind() == JsonValueKind.Number => decimal.Parse(json.ToJsonString(), CultureInfo.InvariantCulture),
        JsonValue json when json.GetValueKind() is JsonValueKind.True or JsonValueKind.False => json.GetValue<bool>(),
        JsonValue json => json.GetValue<string>(),
        _ => null,
    };
}

/// <summary>A document that is not valid YAML or JSON; the message says where and why.</summary>
public sealed class ProtoDocumentException(string message, Exception? innerException = null) : Exception(message, innerException);
