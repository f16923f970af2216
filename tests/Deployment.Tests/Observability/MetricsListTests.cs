using Egov.Steering.TestSupport;

namespace Egov.Steering.Deployment.Tests.Observability;

/// <summary>The root README's Telemetry table lists every metric the services' code exports.</summary>
public sealed class MetricsListTests
{
    [Fact]
    public void Every_exported_metric_is_in_the_root_README()
    {
        var readme = File.ReadAllText(Path.Combine(TestInfrastructure.RepositoryRoot, "README.md"));
        var missing = ExportedMetrics.Names
            .Select(name => name.EndsWith("_bucket", StringComparison.Ordinal) || name.EndsWith("_count", StringComparison.Ordinal)
                ? name[..name.LastIndexOf('_')]
                : name.EndsWith("_sum", StringComparison.Ordinal) ? name[..^4] : name)
            .Distinct()
            .Where(name => !readme.Contains($"`{name}`", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(missing.Count == 0, $"not listed in README.md's Telemetry table: {string.Join(", ", missing)}");
    }
}
