using Egov.Steering.Deployment.Tests.Chart;

namespace Egov.Steering.Deployment.Tests;

/// <summary>What every pod of the release must have to pass the restricted Pod Security Standard and stay up.</summary>
public sealed class WorkloadTests
{
    public static TheoryData<string> ValuesFiles => RenderedChart.ValuesFiles();

    private static IEnumerable<Manifest> Workloads(RenderedChart chart) =>
        chart.Manifests.Where(manifest => manifest.Kind is "Deployment" or "Job");

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void EveryContainerHasResourcesAndTheRestrictedSecurityContext(string valuesFile)
    {
        var chart = RenderedChart.With(valuesFile);
        Assert.NotEmpty(Workloads(chart));
        foreach (var workload in Workloads(chart))
        {
            var pod = workload.PodTemplate.At("spec");
            Assert.Equal("true", pod.At("securityContext", "runAsNonRoot").Text());
            Assert.Equal("RuntimeDefault", pod.At("securityContext", "seccompProfile", "type").Text());
            Assert.Equal("false", pod.At("automountServiceAccountToken").Text());
            Assert.NotEmpty(workload.Containers);
            foreach (var container in workload.Containers)
            {
                var where = $"{workload} container {container.At("name").Text()}";
                Assert.True(container.At("resources", "requests", "cpu").Text() is { Length: > 0 }, $"{where}: cpu request");
                Assert.True(container.At("resources", "requests", "memory").Text() is { Length: > 0 }, $"{where}: memory request");
                Assert.True(container.At("resources", "limits", "memory").Text() is { Length: > 0 }, $"{where}: memory limit");

                var security = container.At("securityContext");
                Assert.Equal("true", security.At("runAsNonRoot").Text());
                Assert.Equal("true", security.At("readOnlyRootFilesystem").Text());
                Assert.Equal("false", security.At("allowPrivilegeEscalation").Text());
                Assert.Equal(["ALL"], security.At("capabilities", "drop").Items().Select(item => item.Text()));
                Assert.Empty(security.At("capabilities", "add").Items());
                Assert.Equal("RuntimeDefault", security.At("seccompProfile", "type").Text());

                // A read-only root needs a writable /tmp, from an emptyDir volume of the pod.
                var tmp = Assert.Single(container.At("volumeMounts").Items(), mount => mount.At("mountPath").Text() == "/tmp");
                var volume = Assert.Single(pod.At("volumes").Items(), volume => volume.At("name").Text() == tmp.At("name").Text());
                Assert.NotNull(volume.At("emptyDir"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void EveryServiceContainerHasStartupReadinessAndLivenessProbes(string valuesFile)
    {
        var deployments = RenderedChart.With(valuesFile).OfKind("Deployment").ToList();
        Assert.Equal(3, deployments.Count);
        foreach (var container in deployments.SelectMany(deployment => deployment.Containers))
        {
            Assert.NotNull(container.At("startupProbe"));
            Assert.NotNull(container.At("livenessProbe"));
            // Readiness is the native gRPC probe on grpc.health.v1, server-wide status, on the gRPC port.
            var readiness = container.At("readinessProbe", "grpc");
            Assert.Equal("", readiness.At("service").Text());
            var grpcPort = Assert.Single(container.At("ports").Items(), port => port.At("name").Text() == "grpc");
            Assert.Equal(grpcPort.At("containerPort").Text(), readiness.At("port").Text());
        }
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void DeploymentsRollOutWithoutLosingCapacityAndSpreadTheirReplicas(string valuesFile)
    {
        foreach (var deployment in RenderedChart.With(valuesFile).OfKind("Deployment"))
        {
            Assert.Equal("RollingUpdate", deployment.Root.At("spec", "strategy", "type").Text());
            Assert.Equal("0", deployment.Root.At("spec", "strategy", "rollingUpdate", "maxUnavailable").Text());
            var spreads = deployment.PodTemplate.At("spec", "topologySpreadConstraints").Items();
            Assert.Contains(spreads, spread => spread.At("topologyKey").Text() == "kubernetes.io/hostname");
            Assert.Contains(spreads, spread => spread.At("topologyKey").Text() == "topology.kubernetes.io/zone");
        }
    }

    [Fact]
    public void ProductionServicesAreAutoscaledAndProtectedFromDisruption()
    {
        var chart = RenderedChart.With("values.yaml");
        var deployments = chart.OfKind("Deployment").Select(deployment => deployment.Name).Order().ToList();
        Assert.Equal(deployments, chart.OfKind("HorizontalPodAutoscaler").Select(hpa => hpa.Root.At("spec", "scaleTargetRef", "name").Text()).Order());
        Assert.Equal(deployments, chart.OfKind("PodDisruptionBudget").Select(pdb => pdb.Name).Order());
        // The autoscaler owns the replica count: a fixed one would fight it on every upgrade.
        Assert.All(chart.OfKind("Deployment"), deployment => Assert.Null(deployment.Root.At("spec", "replicas")));
    }

    [Fact]
    public void EveryPortComesFromTheServicesPortValues()
    {
        var chart = RenderedChart.WithArguments("--set", "serviceDefaults.grpcPort=9090,serviceDefaults.httpPort=9091", "--set", "metrics.podMonitor.enabled=true");
        foreach (var deployment in chart.OfKind("Deployment"))
        {
            var container = deployment.Containers.Single();
            var ports = container.At("ports").Items().ToDictionary(port => port.At("name").Text()!, port => port.At("containerPort").Text());
            Assert.Equal("9090", ports["grpc"]);
            Assert.Equal("9091", ports["http"]);
            foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
            {
                Assert.Equal("9090", container.At(probe, "grpc", "port").Text());
            }

            var config = chart.Single("ConfigMap", deployment.Name).Root.At("data").Strings();
            Assert.Equal("9090", config["Hosting__GrpcPort"]);
            Assert.Equal("9091", config["Hosting__HttpPort"]);
            Assert.Equal("9091", deployment.PodTemplate.At("metadata", "annotations", "prometheus.io/port").Text());

            var service = chart.Single("Service", deployment.Name).Root.At("spec", "ports").Items().Single();
            Assert.Equal("9090", service.At("port").Text());
            Assert.Equal("grpc", service.At("targetPort").Text());
        }

        var membership = chart.Single("Service", "steering-egov-steering-membership");
        var decisionsConfig = chart.Single("ConfigMap", "steering-egov-steering-decisions").Root.At("data").Strings();
        Assert.Equal($"http://{membership.Name}:9090", decisionsConfig["Services__Membership"]);
        var decisionsEgress = chart.Single("NetworkPolicy", "steering-egov-steering-decisions").Root.At("spec", "egress").Items();
        Assert.Contains(decisionsEgress, rule =>
            rule.At("to").Items().Any(peer => peer.At("podSelector", "matchLabels", "app.kubernetes.io/name").Text() == "membership") &&
            rule.At("ports").Items().Select(port => port.At("port").Text()).SequenceEqual(["9090"]));
        Assert.All(chart.OfKind("PodMonitor"), monitor =>
            Assert.Equal("http", monitor.Root.At("spec", "podMetricsEndpoints").Items().Single().At("port").Text()));
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void PodsDrainBeforeTheyStopAndHaveTheTimeToShutDown(string valuesFile)
    {
        var chart = RenderedChart.With(valuesFile);
        foreach (var deployment in chart.OfKind("Deployment"))
        {
            // Kept serving while leaving the endpoints; then SIGTERM ends the WatchEvents streams with UNAVAILABLE.
            var preStop = int.Parse(deployment.Containers.Single().At("lifecycle", "preStop", "sleep", "seconds").Text()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(preStop > 0, $"{deployment}: no drain before SIGTERM");
            var shutdown = TimeSpan.Parse(chart.Single("ConfigMap", deployment.Name).Root.At("data", "HostOptions__ShutdownTimeout").Text()!, System.Globalization.CultureInfo.InvariantCulture);
            var grace = int.Parse(deployment.PodTemplate.At("spec", "terminationGracePeriodSeconds").Text()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(grace > preStop + shutdown.TotalSeconds, $"{deployment}: {grace}s of grace for {preStop}s of drain and {shutdown} of shutdown");
        }
    }
}
