using System.Diagnostics;
using Egov.Steering.TestSupport;

namespace Egov.Steering.Deployment.Tests.Chart;

/// <summary>The real helm binary, found (and installed when missing) by eng/lint-chart.sh --print-helm.</summary>
public static class Helm
{
    public static string ChartDirectory { get; } = Path.Combine(TestInfrastructure.RepositoryRoot, "charts", "egov-steering");

    private static readonly Lazy<string> Binary = new(FindBinary);

    /// <summary>Runs <c>helm template</c> on the chart with the given extra arguments.</summary>
    public static BoundedProcess.Result Template(params string[] arguments) =>
        Run(Binary.Value, ["template", "steering", ChartDirectory, "--namespace", "egov-steering", .. arguments]);

    /// <summary>Validates manifests (YAML) against the Kubernetes API schemas with eng/tools/validate-manifests.mjs.</summary>
    public static BoundedProcess.Result ValidateManifests(string manifests)
    {
        _ = Binary.Value; // eng/lint-chart.sh --print-helm installs the validator's packages too.
        return Run("node", [Path.Combine(TestInfrastructure.RepositoryRoot, "eng", "tools", "validate-manifests.mjs")], manifests);
    }

    private static string FindBinary()
    {
        var result = Run("bash", [Path.Combine(TestInfrastructure.RepositoryRoot, "eng", "lint-chart.sh"), "--print-helm"]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"eng/lint-chart.sh --print-helm failed: {result.Error}");
        }

        return result.Output.Trim();
    }

    // Synchronous, as its callers are; BoundedProcess stops a tool that hangs.
    private static BoundedProcess.Result Run(string fileName, IEnumerable<string> arguments, string? input = null)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = TestInfrastructure.RepositoryRoot };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return BoundedProcess.RunAsync(start, TimeSpan.FromMinutes(5), input).GetAwaiter().GetResult();
    }
}
