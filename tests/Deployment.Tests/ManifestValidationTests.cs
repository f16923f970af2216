using Egov.Steering.Deployment.Tests.Chart;

namespace Egov.Steering.Deployment.Tests;

/// <summary>Every rendered object is valid against the Kubernetes API's OpenAPI schemas (eng/lint-chart.sh runs the same check).</summary>
public sealed class ManifestValidationTests
{
    public static TheoryData<string> ValuesFiles => RenderedChart.ValuesFiles();

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void EveryRenderedObjectIsValid(string valuesFile)
    {
        var values = valuesFile == "values.yaml" ? RenderedChart.DefaultPeers : Path.Combine(Helm.ChartDirectory, valuesFile);
        var rendered = Helm.Template("--values", values, "--set", "metrics.podMonitor.enabled=true");
        Assert.Equal(0, rendered.ExitCode);

        var result = Helm.ValidateManifests(rendered.Output);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"{RenderedChart.With(valuesFile).Manifests.Count + 3} object(s) valid", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidOrUnknownObjectIsReportedWithWhereItIsWrong()
    {
        var result = Helm.ValidateManifests("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: wrong }
            spec:
              replicas: two
              selector: { matchLabels: { app: x } }
              template: { spec: { containers: [{ name: x, image: x }] } }
            ---
            apiVersion: example.com/v1
            kind: Unknown
            metadata: { name: unknown }
            """);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Deployment/wrong: data/spec/replicas must be integer", result.Error, StringComparison.Ordinal);
        Assert.Contains("Unknown/unknown: no schema", result.Error, StringComparison.Ordinal);
    }
}
