using Egov.Steering.Deployment.Tests.Chart;
using YamlDotNet.RepresentationModel;

namespace Egov.Steering.Deployment.Tests;

/// <summary>Deny by default; each pod may talk only to what it needs, never to everything.</summary>
public sealed class NetworkPolicyTests
{
    public static TheoryData<string> ValuesFiles => RenderedChart.ValuesFiles();

    private static IReadOnlyDictionary<string, string> PodLabels(Manifest workload) =>
        workload.PodTemplate.At("metadata", "labels").Strings();

    private static IReadOnlyDictionary<string, string> Selector(Manifest policy) =>
        policy.Root.At("spec", "podSelector", "matchLabels").Strings();

    private static Manifest ApiPolicy(RenderedChart chart, string service) =>
        chart.OfKind("NetworkPolicy").Single(policy =>
            policy.Labels.GetValueOrDefault("app.kubernetes.io/name") == service &&
            policy.Labels.GetValueOrDefault("app.kubernetes.io/component") == "api");

    private static IEnumerable<string?> Ports(YamlNode rule) => rule.At("ports").Items().Select(port => port.At("port").Text());

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void EveryPodIsDeniedByDefaultAndSelectedByItsOwnPolicyInBothDirections(string valuesFile)
    {
        var chart = RenderedChart.With(valuesFile);
        var policies = chart.OfKind("NetworkPolicy").ToList();
        var denyAll = Assert.Single(policies, policy => policy.Name.EndsWith("-default-deny", StringComparison.Ordinal));
        Assert.Null(denyAll.Root.At("spec", "ingress"));
        Assert.Null(denyAll.Root.At("spec", "egress"));

        foreach (var workload in chart.Manifests.Where(manifest => manifest.PodTemplate is not null))
        {
            var labels = PodLabels(workload);
            Assert.True(LabelTests.Matches(Selector(denyAll), labels), $"default deny does not cover {workload}");
            var own = policies.Where(policy => policy != denyAll && LabelTests.Matches(Selector(policy), labels)).ToList();
            var policy = Assert.Single(own);
            Assert.Equal(["Ingress", "Egress"], policy.Root.At("spec", "policyTypes").Items().Select(type => type.Text()));
        }
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void NoRuleAllowsEveryPeer(string valuesFile)
    {
        foreach (var policy in RenderedChart.With(valuesFile).OfKind("NetworkPolicy"))
        {
            // A rule without peers (or with an empty peer list) allows every source or destination.
            foreach (var rule in policy.Root.At("spec", "ingress").Items())
            {
                Assert.NotEmpty(rule.At("from").Items());
            }

            foreach (var rule in policy.Root.At("spec", "egress").Items())
            {
                Assert.NotEmpty(rule.At("to").Items());
                Assert.NotEmpty(rule.At("ports").Items());
            }

            var peers = policy.Root.At("spec", "ingress").Items().SelectMany(rule => rule.At("from").Items())
                .Concat(policy.Root.At("spec", "egress").Items().SelectMany(rule => rule.At("to").Items()));
            foreach (var peer in peers)
            {
                Assert.DoesNotContain(peer.At("ipBlock", "cidr").Text(), new[] { "0.0.0.0/0", "::/0" });
                // An empty namespaceSelector alone means every pod of every namespace.
                var everyNamespace = peer.At("namespaceSelector") is YamlMappingNode { Children.Count: 0 };
                Assert.False(everyNamespace && peer.At("podSelector") is null, $"{policy}: a peer selects every namespace");
            }
        }
    }

    [Fact]
    public void ServicesAcceptCallsOnlyFromTheGatewayTheirCallersAndTheDashboard()
    {
        var chart = RenderedChart.With("values.yaml");
        Assert.Contains(FromPodNames(chart, "membership"), name => name == "decisions");
        Assert.DoesNotContain(FromPodNames(chart, "decisions"), name => name == "membership");
        Assert.Contains(FromPodNames(chart, "notifications"), name => name == "dashboard");
        Assert.DoesNotContain(FromPodNames(chart, "membership"), name => name == "dashboard");
        foreach (var service in new[] { "membership", "decisions", "notifications" })
        {
            var rule = Assert.Single(ApiPolicy(chart, service).Root.At("spec", "ingress").Items());
            Assert.Equal(["grpc"], Ports(rule));
            Assert.Contains(rule.At("from").Items(), peer => peer.At("namespaceSelector", "matchLabels", "kubernetes.io/metadata.name").Text() == "ingress-nginx");
        }
    }

    private static IEnumerable<string?> FromPodNames(RenderedChart chart, string service) =>
        ApiPolicy(chart, service).Root.At("spec", "ingress").Items()
            .SelectMany(rule => rule.At("from").Items())
            .Select(peer => peer.At("podSelector", "matchLabels", "app.kubernetes.io/name").Text());

    [Fact]
    public void ServicesReachOnlyTheInfrastructureTheCollectorTheIdentityProviderAndWhatTheyCall()
    {
        var chart = RenderedChart.With("values-external.yaml");
        string[] shared = ["53", "5432", "5671", "4317", "443"];
        Assert.Equal(shared.Append("8080").Order(), EgressPorts(chart, "decisions"));
        // Only Membership caches in Redis.
        Assert.Equal(shared.Append("6379").Order(), EgressPorts(chart, "membership"));
        // Notifications delivers webhooks (443, like the identity provider) to the configured CIDRs only.
        Assert.Equal(shared.Append("443").Order(), EgressPorts(chart, "notifications"));
        var webhooks = ApiPolicy(chart, "notifications").Root.At("spec", "egress").Items()
            .Last(rule => Ports(rule).Contains("443"));
        Assert.Equal(["203.0.113.0/24", "198.51.100.0/24"], webhooks.At("to").Items().Select(peer => peer.At("ipBlock", "cidr").Text()));

        var toMembership = ApiPolicy(chart, "decisions").Root.At("spec", "egress").Items().Single(rule => Ports(rule).Contains("8080"));
        Assert.Equal("membership", toMembership.At("to").Items().Single().At("podSelector", "matchLabels", "app.kubernetes.io/name").Text());
    }

    // One entry per rule and port: DNS counts once (UDP and TCP), a port used by two rules twice.
    private static IEnumerable<string?> EgressPorts(RenderedChart chart, string service) =>
        ApiPolicy(chart, service).Root.At("spec", "egress").Items().SelectMany(rule => Ports(rule).Distinct()).Order();

    [Fact]
    public void MigrationsReachOnlyDnsPostgreSqlRabbitMqAndTheCollectorAndAcceptNothing()
    {
        var chart = RenderedChart.With("values-external.yaml");
        var migrationPolicies = chart.OfKind("NetworkPolicy")
            .Where(policy => policy.Labels.GetValueOrDefault("app.kubernetes.io/component") == "migration").ToList();
        Assert.Equal(3, migrationPolicies.Count);
        foreach (var policy in migrationPolicies)
        {
            Assert.Empty(policy.Root.At("spec", "ingress").Items());
            // RabbitMQ: the migrate verb declares the service's queues before any pod of the release publishes.
            Assert.Equal(["4317", "53", "5432", "5671"], policy.Root.At("spec", "egress").Items().SelectMany(Ports).Distinct().Order());
        }
    }

    [Fact]
    public void WithoutConfiguredPeersADependencyIsUnreachableNotOpen()
    {
        // The defaults name no webhook destination and no collector: no rule for them, not an open one.
        var chart = RenderedChart.With("values.yaml");
        Assert.Equal(["53", "5432", "5671", "5672"], ApiPolicy(chart, "notifications").Root.At("spec", "egress").Items().SelectMany(Ports).Distinct().Order());
    }
}
