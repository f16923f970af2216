using YamlDotNet.RepresentationModel;

namespace Egov.Steering.Deployment.Tests.Chart;

/// <summary>One rendered Kubernetes object.</summary>
public sealed record Manifest(string Kind, string Name, YamlMappingNode Root)
{
    public IReadOnlyDictionary<string, string> Labels => Root.At("metadata", "labels").Strings();

    public IReadOnlyDictionary<string, string> Annotations => Root.At("metadata", "annotations").Strings();

    public bool IsHook => Annotations.ContainsKey("helm.sh/hook");

    public int HookWeight => int.Parse(Annotations.GetValueOrDefault("helm.sh/hook-weight", "0"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The pod template of a Deployment or Job.</summary>
    public YamlNode? PodTemplate => Root.At("spec", "template");

    public IReadOnlyList<YamlNode> Containers => PodTemplate.At("spec", "containers").Items();

    public override string ToString() => $"{Kind}/{Name}";
}
