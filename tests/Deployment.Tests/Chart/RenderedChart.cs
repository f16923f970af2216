using System.Collections.Concurrent;
using YamlDotNet.RepresentationModel;

namespace Egov.Steering.Deployment.Tests.Chart;

/// <summary>The chart rendered by helm with one values file (null: the defaults), cached per file.</summary>
public sealed class RenderedChart
{
    private static readonly ConcurrentDictionary<string, RenderedChart> Cache = new();

    private RenderedChart(string? valuesFile, IReadOnlyList<Manifest> manifests)
    {
        ValuesFile = valuesFile;
        Manifests = manifests;
    }

    public string? ValuesFile { get; }

    public IReadOnlyList<Manifest> Manifests { get; }

    /// <summary>The defaults and every documented values file (charts/egov-steering/values-*.yaml), by file name.</summary>
    public static TheoryData<string> ValuesFiles()
    {
        var data = new TheoryData<string> { "values.yaml" };
        foreach (var file in Directory.GetFiles(Helm.ChartDirectory, "values-*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    /// <summary>
    /// Renders with charts/egov-steering/&lt;fileName&gt; ("values.yaml": the defaults, with the infrastructure peers
    /// that every install must set from ci/default-peers.yaml).
    /// </summary>
    public static RenderedChart With(string fileName) => Cache.GetOrAdd(fileName, file => Render(file, []));

    /// <summary>Renders the defaults (with <see cref="DefaultPeers"/>) and the given extra helm arguments, uncached.</summary>
    public static RenderedChart WithArguments(params string[] arguments) => Render("values.yaml", arguments);

    /// <summary>The values file that gives the defaults what they lack to render: where the infrastructure is.</summary>
    public static string DefaultPeers { get; } = Path.Combine(Helm.ChartDirectory, "ci", "default-peers.yaml");

    public IEnumerable<Manifest> OfKind(string kind) => Manifests.Where(manifest => manifest.Kind == kind);

    public Manifest Single(string kind, string name) =>
        Manifests.Single(manifest => manifest.Kind == kind && manifest.Name == name);

    private static RenderedChart Render(string fileName, string[] extraArguments)
    {
        var valuesFile = fileName == "values.yaml" ? DefaultPeers : Path.Combine(Helm.ChartDirectory, fileName);
        var result = Helm.Template(["--values", valuesFile, .. extraArguments]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"helm template with {fileName} {string.Join(' ', extraArguments)} failed: {result.Error}");
        }

        var stream = new YamlStream();
        stream.Load(new StringReader(result.Output));
        var manifests = stream.Documents
            .Select(document => document.RootNode)
            .OfType<YamlMappingNode>()
            .Select(root => new Manifest(root.At("kind").Text()!, root.At("metadata", "name").Text()!, root))
            .ToList();
        return new RenderedChart(fileName, manifests);
    }
}
