using Egov.Steering.Deployment.Tests.Chart;

namespace Egov.Steering.Deployment.Tests;

/// <summary>Every service's /metrics (Prometheus) on its http port, scraped by annotation or a PodMonitor.</summary>
public sealed class MetricsTests
{
    [Fact]
    public void PodsAnnounceTheirMetricsOnTheHttpPortAndNoPodMonitorIsRequired()
    {
        var chart = RenderedChart.With("values.yaml");
        Assert.Empty(chart.OfKind("PodMonitor"));
        foreach (var deployment in chart.OfKind("Deployment"))
        {
            var annotations = deployment.PodTemplate.At("metadata", "annotations").Strings();
            var http = Assert.Single(deployment.Containers.Single().At("ports").Items(), port => port.At("name").Text() == "http");
            Assert.Equal("true", annotations["prometheus.io/scrape"]);
            Assert.Equal(http.At("containerPort").Text(), annotations["prometheus.io/port"]);
            Assert.Equal("/metrics", annotations["prometheus.io/path"]);
        }
    }

    [Fact]
    public void APodMonitorAndTheScrapersPeersAreOptIn()
    {
        var chart = RenderedChart.WithArguments(
            "--set", "metrics.podMonitor.enabled=true",
            "--set", "metrics.podMonitor.labels.release=kube-prometheus-stack",
            "--set-json", """metrics.scrapeFrom=[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"monitoring"}}}]""");
        var pods = chart.OfKind("Deployment").ToList();
        Assert.Equal(pods.Count, chart.OfKind("PodMonitor").Count());
        foreach (var monitor in chart.OfKind("PodMonitor"))
        {
            Assert.Equal("kube-prometheus-stack", monitor.Labels["release"]);
            var selector = monitor.Root.At("spec", "selector", "matchLabels").Strings();
            var pod = Assert.Single(pods, pod => LabelTests.Matches(selector, pod.PodTemplate.At("metadata", "labels").Strings()));
            var endpoint = monitor.Root.At("spec", "podMetricsEndpoints").Items().Single();
            Assert.Equal("/metrics", endpoint.At("path").Text());
            Assert.Contains(pod.Containers.Single().At("ports").Items(), port => port.At("name").Text() == endpoint.At("port").Text());

            var scrape = Assert.Single(
                chart.Single("NetworkPolicy", pod.Name).Root.At("spec", "ingress").Items(),
                rule => rule.At("ports").Items().Any(port => port.At("port").Text() == "http"));
            Assert.Equal("monitoring", scrape.At("from").Items().Single().At("namespaceSelector", "matchLabels", "kubernetes.io/metadata.name").Text());
        }
    }
}
