using Egov.Steering.Deployment.Tests.Chart;

namespace Egov.Steering.Deployment.Tests;

/// <summary>tls.* and messaging.*: every service over TLS with its own certificate Secret, and RabbitMQ as a cluster.</summary>
public sealed class TransportTests
{
    [Fact]
    public void With_tls_each_service_mounts_its_secret_and_is_probed_on_the_plain_text_http_port()
    {
        var chart = RenderedChart.WithArguments("--set", "tls.enabled=true", "--set", "tls.secrets.membership=membership-certificate");
        var deployments = chart.OfKind("Deployment").ToList();
        Assert.Equal(3, deployments.Count);
        foreach (var deployment in deployments)
        {
            var container = deployment.Containers.Single();
            var mount = Assert.Single(container.At("volumeMounts").Items(), mount => mount.At("name").Text() == "tls");
            Assert.Equal("true", mount.At("readOnly").Text());
            Assert.Null(mount.At("subPath")); // a subPath mount is never updated when the Secret is renewed
            var volume = Assert.Single(deployment.PodTemplate.At("spec", "volumes").Items(), volume => volume.At("name").Text() == "tls");
            Assert.Equal(
                deployment.Service == "membership" ? "membership-certificate" : $"steering-egov-steering-{deployment.Service}-tls",
                volume.At("secret", "secretName").Text());

            var config = ConfigOf(chart, deployment.Service);
            Assert.Equal(mount.At("mountPath").Text() + "/tls.crt", config["Tls__CertificatePath"]);
            Assert.Equal(mount.At("mountPath").Text() + "/tls.key", config["Tls__KeyPath"]);
            Assert.Equal(mount.At("mountPath").Text() + "/ca.crt", config["Tls__CaPath"]);
            Assert.Equal("Allow", config["Tls__ClientCertificates"]);

            // The kubelet's gRPC probe speaks no TLS.
            var httpPort = Assert.Single(container.At("ports").Items(), port => port.At("name").Text() == "http").At("containerPort").Text();
            foreach (var (probe, path) in new[] { ("startupProbe", "/healthz"), ("readinessProbe", "/readyz"), ("livenessProbe", "/healthz") })
            {
                Assert.Null(container.At(probe, "grpc"));
                Assert.Equal(path, container.At(probe, "httpGet", "path").Text());
                Assert.Equal(httpPort, container.At(probe, "httpGet", "port").Text());
            }
        }
    }

    [Fact]
    public void With_tls_decisions_calls_membership_over_https_and_membership_trusts_decisions_alone_with_its_service_methods()
    {
        var chart = RenderedChart.WithArguments("--set", "tls.enabled=true", "--set", "ingress.enabled=true");
        Assert.Equal("https://steering-egov-steering-membership:8080", ConfigOf(chart, "decisions")["Services__Membership"]);
        var membership = ConfigOf(chart, "membership");
        Assert.Equal("steering-egov-steering-decisions", membership["Tls__TrustedServices__0"]);
        Assert.DoesNotContain("Tls__TrustedServices__1", membership.Keys);
        Assert.DoesNotContain(ConfigOf(chart, "decisions").Keys, key => key.StartsWith("Tls__TrustedServices", StringComparison.Ordinal));
        Assert.Equal("GRPCS", chart.OfKind("Ingress").Single().Annotations["nginx.ingress.kubernetes.io/backend-protocol"]);
    }

    [Fact]
    public void Every_service_gets_the_queue_type_and_the_rabbitmq_cluster_nodes()
    {
        var defaults = RenderedChart.With("values.yaml");
        var cluster = RenderedChart.WithArguments("--set", "messaging.clusterNodes={rabbitmq-1:5672,rabbitmq-2}");
        foreach (var service in new[] { "membership", "decisions", "notifications" })
        {
            Assert.Equal("Quorum", ConfigOf(defaults, service)["Messaging__QueueType"]);
            Assert.DoesNotContain(ConfigOf(defaults, service).Keys, key => key.StartsWith("Messaging__ClusterNodes", StringComparison.Ordinal));
            Assert.Equal("rabbitmq-1:5672", ConfigOf(cluster, service)["Messaging__ClusterNodes__0"]);
            Assert.Equal("rabbitmq-2", ConfigOf(cluster, service)["Messaging__ClusterNodes__1"]);
        }
    }

    [Fact]
    public void Without_tls_nothing_is_mounted_and_the_probes_stay_native_grpc()
    {
        foreach (var deployment in RenderedChart.With("values.yaml").OfKind("Deployment"))
        {
            Assert.DoesNotContain(deployment.Containers.Single().At("volumeMounts").Items(), mount => mount.At("name").Text() == "tls");
            Assert.NotNull(deployment.Containers.Single().At("readinessProbe", "grpc"));
            Assert.StartsWith("http://", ConfigOf(RenderedChart.With("values.yaml"), "decisions")["Services__Membership"], StringComparison.Ordinal);
        }
    }

    private static IReadOnlyDictionary<string, string> ConfigOf(RenderedChart chart, string service) =>
        chart.OfKind("ConfigMap").Single(configMap => configMap.Labels["app.kubernetes.io/name"] == service).Root.At("data").Strings();
}
