using Egov.Steering.Deployment.Tests.Chart;

namespace Egov.Steering.Deployment.Tests;

/// <summary>The standard app.kubernetes.io labels on every object and pod, and selectors that cannot mix pods up.</summary>
public sealed class LabelTests
{
    private static readonly string[] StandardLabels =
    [
        "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
        "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by", "helm.sh/chart",
    ];

    public static TheoryData<string> ValuesFiles => RenderedChart.ValuesFiles();

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void EveryObjectAndPodCarriesTheStandardLabels(string valuesFile)
    {
        foreach (var manifest in RenderedChart.With(valuesFile).Manifests)
        {
            var podLabels = manifest.PodTemplate.At("metadata", "labels").Strings();
            foreach (var label in StandardLabels)
            {
                Assert.True(manifest.Labels.ContainsKey(label), $"{manifest} has no label {label}");
                Assert.True(manifest.PodTemplate is null || podLabels.ContainsKey(label), $"pods of {manifest} have no label {label}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void ServicesSelectOnlyTheirOwnServicePods(string valuesFile)
    {
        var chart = RenderedChart.With(valuesFile);
        var pods = chart.Manifests.Where(manifest => manifest.PodTemplate is not null).ToList();
        foreach (var service in chart.OfKind("Service"))
        {
            var selector = service.Root.At("spec", "selector").Strings();
            var selected = pods.Where(pod => Matches(selector, pod.PodTemplate.At("metadata", "labels").Strings())).ToList();
            // Never the migration Job's pods, never another service's.
            var deployment = Assert.Single(selected);
            Assert.Equal("Deployment", deployment.Kind);
            Assert.Equal(service.Labels["app.kubernetes.io/name"], deployment.Labels["app.kubernetes.io/name"]);
        }
    }

    public static bool Matches(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
