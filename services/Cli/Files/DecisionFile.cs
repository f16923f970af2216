using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Egov.Steering.Cli.Remote;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Documents;
using Google.Api;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Egov.Steering.Cli.Files;

/// <summary>
/// A decision file: the protobuf JSON mapping of egov.steering.decisions.v1.Decision, or the same document in YAML
/// (as `decisions show -o json|yaml` prints it). Fields the server sets (name, state, times, owner, etag...) may be
/// present and are ignored, so a shown decision drafts again as it is; unknown fields are refused.
/// </summary>
public sealed class DecisionFile
{
    private DecisionFile(string path, Decision draft, IReadOnlyList<string> fields, string name, string etag)
    {
        Path = path;
        Draft = draft;
        Fields = fields;
        Name = name;
        Etag = etag;
    }

    public string Path { get; }

    /// <summary>The decision with every field the server sets cleared.</summary>
    public Decision Draft { get; }

    /// <summary>The fields the file sets that an author may change (proto names, e.g. "signed_date"): an update's mask.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>The decision the file was shown from ("decisions/..."), or empty.</summary>
    public string Name { get; }

    /// <summary>The version of <see cref="Name"/> the file was shown from, or empty.</summary>
    public string Etag { get; }

    /// <exception cref="BadUsageException">The file is missing, does not parse, or is not a decision.</exception>
    public static DecisionFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new BadUsageException($"{path}: no such file.");
        }

        var text = File.ReadAllText(path, Encoding.UTF8);
        var node = IsJson(path, text) ? ParseJson(path, text) : ParseYaml(path, text);
        if (node is not JsonObject document)
        {
            throw new BadUsageException($"{path}: expected a decision, i.e. fields such as title, issuer and changes (see services/Cli/README.md).");
        }

        Decision decision;
        try
        {
            decision = ProtoDocuments.Parser.Parse<Decision>(document.ToJsonString());
        }
        catch (Exception exception) when (exception is InvalidProtocolBufferException or InvalidJsonException)
        {
            throw new BadUsageException($"{path}: not a valid decision: {exception.Message}. The fields are listed in services/Cli/README.md.");
        }

        var fields = Decision.Descriptor.Fields.InDeclarationOrder()
            .Where(field => document.ContainsKey(field.JsonName) || document.ContainsKey(field.Name))
            .Where(IsEditable)
            .Select(field => field.Name)
            .ToList();
        var (name, etag) = (decision.Name, decision.Etag);
        foreach (var field in Decision.Descriptor.Fields.InDeclarationOrder().Where(field => !IsEditable(field)))
        {
            field.Accessor.Clear(decision);
        }

        return new DecisionFile(path, decision, fields, name, etag);
    }

    // What an author writes; the identifier, the etag and OUTPUT_ONLY fields are the server's.
    private static bool IsEditable(FieldDescriptor field) =>
        field.FieldNumber != Decision.EtagFieldNumber
        && !(field.GetOptions()?.GetExtension(FieldBehaviorExtensions.FieldBehavior) ?? [])
            .Any(behavior => behavior is FieldBehavior.OutputOnly or FieldBehavior.Identifier);

    // By extension; a file named otherwise is JSON when it reads like it.
    private static bool IsJson(string path, string text) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => true,
        ".yaml" or ".yml" => false,
        _ => text.TrimStart().StartsWith('{'),
    };

    private static JsonNode? ParseJson(string path, string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException exception)
        {
            throw new BadUsageException($"{path}: not valid JSON: {exception.Message}");
        }
    }

    private static JsonNode ParseYaml(string path, string text)
    {
        try
        {
            return ProtoDocuments.ReadYaml(new StringReader(text));
        }
        catch (ProtoDocumentException exception)
        {
            throw new BadUsageException($"{path}: not valid YAML: {exception.Message}");
        }
    }
}
