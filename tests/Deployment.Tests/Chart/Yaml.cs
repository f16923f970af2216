using YamlDotNet.RepresentationModel;

namespace Egov.Steering.Deployment.Tests.Chart;

/// <summary>Null-tolerant navigation of YAML nodes: a missing key is null, a missing list is empty.</summary>
public static class Yaml
{
    public static YamlNode? At(this YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string? Text(this YamlNode? node) => (node as YamlScalarNode)?.Value;

    public static IReadOnlyList<YamlNode> Items(this YamlNode? node) =>
        node is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    public static IReadOnlyDictionary<string, string> Strings(this YamlNode? node) =>
        node is YamlMappingNode mapping
            ? mapping.Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => pair.Value.Text() ?? "")
            : new Dictionary<string, string>();

    /// <summary>Every scalar value (not mapping keys) anywhere under the node.</summary>
    public static IEnumerable<string> Scalars(this YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value is null ? [] : [scalar.Value],
        YamlSequenceNode sequence => sequence.Children.SelectMany(Scalars),
        YamlMappingNode mapping => mapping.Children.Values.SelectMany(Scalars),
        _ => [],
    };
}
