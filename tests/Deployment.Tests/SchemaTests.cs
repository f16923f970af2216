using System.Text.Json;
using Egov.Steering.Deployment.Tests.Chart;

namespace Egov.Steering.Deployment.Tests;

/// <summary>values.schema.json stops a wrong or missing value before anything reaches the cluster.</summary>
public sealed class SchemaTests
{
    [Fact]
    public void TheSchemaIsDraft07()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Helm.ChartDirectory, "values.schema.json")));
        Assert.Equal("http://json-schema.org/draft-07/schema#", schema.RootElement.GetProperty("$schema").GetString());
    }

    [Theory]
    [InlineData("services.membership.replicas=two", "/services/membership/replicas", "want integer")]
    [InlineData("networkPolicy.enabled=maybe", "/networkPolicy/enabled", "want boolean")]
    [InlineData("image.pullPolicy=Sometimes", "/image/pullPolicy", "Always")]
    [InlineData("auth.issuer=", "/auth/issuer", "minLength")]
    [InlineData("services.decisions.existingSecret=", "/services/decisions/existingSecret", "minLength")]
    [InlineData("infrastructure.postgresql.ports[0]=70000", "/infrastructure/postgresql/ports/0", "maximum")]
    [InlineData("services.decisions.config.Decisions__OutcomeTimeout=15m", "/services/decisions/config/Decisions__OutcomeTimeout", "pattern")]
    public void AWrongOrMissingValueIsRejectedWithItsPath(string assignment, string path, string reason)
    {
        var result = Helm.Template("--set", assignment);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("values don't meet the specifications of the schema", result.Error, StringComparison.Ordinal);
        Assert.Contains(path, result.Error, StringComparison.Ordinal);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ProductionWithoutSigningKeysOrAuthorityIsRejected()
    {
        var result = Helm.Template("--set-json", "auth.signingKeys.keys=[]");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("/auth/signingKeys/keys", result.Error, StringComparison.Ordinal);

        var withAuthority = Helm.Template(
            "--values", RenderedChart.DefaultPeers,
            "--set-json", "auth.signingKeys.keys=[]",
            "--set", "auth.authority=https://sso.example.gov.vn/realms/egov",
            "--set-json", """auth.identityProvider.to=[{"ipBlock":{"cidr":"10.0.4.0/28"}}]""");
        Assert.Equal(0, withAuthority.ExitCode);
    }

    [Fact]
    public void AnEgressRuleToEverywhereIsRejected()
    {
        var noPeers = Helm.Template("--set-json", """services.notifications.extraEgress=[{"ports":[{"port":443}]}]""");
        Assert.NotEqual(0, noPeers.ExitCode);
        Assert.Contains("/services/notifications/extraEgress/0", noPeers.Error, StringComparison.Ordinal);

        var notACidr = Helm.Template("--set-json", """services.notifications.webhooks.cidrs=["everywhere"]""");
        Assert.NotEqual(0, notACidr.ExitCode);
        Assert.Contains("/services/notifications/webhooks/cidrs/0", notACidr.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultsThatCouldNeverBecomeReadyFailWithWhatToSet()
    {
        var result = Helm.Template();
        Assert.NotEqual(0, result.ExitCode);
        foreach (var value in new[] { "infrastructure.postgresql.to", "infrastructure.rabbitmq.to", "infrastructure.redis.to" })
        {
            Assert.Contains($"{value} is empty", result.Error, StringComparison.Ordinal);
        }

        // Redis is needed only while a service caches in it.
        var withoutRedis = Helm.Template(
            "--values", RenderedChart.DefaultPeers, "--set-json", "infrastructure.redis.to=[]", "--set", "services.membership.redis=false");
        Assert.Equal(0, withoutRedis.ExitCode);

        var collector = Helm.Template("--values", RenderedChart.DefaultPeers, "--set", "telemetry.otlp.endpoint=http://collector:4317");
        Assert.NotEqual(0, collector.ExitCode);
        Assert.Contains("telemetry.otlp.to is empty", collector.Error, StringComparison.Ordinal);

        // Without NetworkPolicies nothing is blocked, so nothing is required.
        Assert.Equal(0, Helm.Template("--set", "networkPolicy.enabled=false").ExitCode);
    }
}
