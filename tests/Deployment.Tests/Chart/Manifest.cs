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

    /// <summary>The service (app.kubernetes.io/name) the object belongs to.</summary>
    public string Service => Labels["app.kubernetes.io/name"];

    /// <summary>The environment of the single container of a Deployment or Job, by variable name.</summary>
    public IReadOnlyDictionary<string, YamlNode> Env =>
        Containers.Single().At("env").Items().ToDictionary(variable => variable.At("name").Text()!);

    public override string ToString() => $"{Kind}/{Name}";
}
