using Egov.Steering.Deployment.Tests.Chart;
using YamlDotNet.RepresentationModel;

namespace Egov.Steering.Deployment.Tests;

/// <summary>Passwords and keys live only in Secrets; the rest of the configuration is what the services expect.</summary>
public sealed class ConfigurationTests
{
    public static TheoryData<string> ValuesFiles => RenderedChart.ValuesFiles();

    [Fact]
    public void NoSecretValueAppearsOutsideSecrets()
    {
        // values-dev.yaml has the chart create its Secrets from plain values: none may leak anywhere else.
        var values = new YamlStream();
        values.Load(File.OpenText(Path.Combine(Helm.ChartDirectory, "values-dev.yaml")));
        var secrets = values.Documents[0].RootNode.At("secrets", "values")!.Scalars().Where(value => value.Length >= 8).ToList();
        Assert.NotEmpty(secrets);

        var chart = RenderedChart.With("values-dev.yaml");
        Assert.NotEmpty(chart.OfKind("Secret"));
        foreach (var manifest in chart.Manifests.Where(manifest => manifest.Kind != "Secret"))
        {
            var scalars = manifest.Root.Scalars().ToList();
            Assert.DoesNotContain(scalars, scalar => secrets.Any(secret => scalar.Contains(secret, StringComparison.Ordinal)));
        }
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void ConfigMapsHoldNoConnectionStringOrKey(string valuesFile)
    {
        var configMaps = RenderedChart.With(valuesFile).OfKind("ConfigMap").ToList();
        Assert.Equal(3, configMaps.Count);
        foreach (var data in configMaps.Select(configMap => configMap.Root.At("data").Strings()))
        {
            Assert.DoesNotContain(data.Keys, key => key.StartsWith("ConnectionStrings__", StringComparison.Ordinal));
            Assert.DoesNotContain(data.Keys, key => key.StartsWith("Auth__SigningKeys", StringComparison.Ordinal));
            Assert.DoesNotContain(data.Keys, key => key.EndsWith("Key", StringComparison.Ordinal));
            Assert.DoesNotContain(data.Values, value => value.Contains("password", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void EveryServiceRunsWithTheGen0BudgetOfASmallPod(string valuesFile)
    {
        // The runtime reads it only from the environment; sized on the node's L3 cache it would be 16 MiB or more.
        foreach (var data in RenderedChart.With(valuesFile).OfKind("ConfigMap").Select(configMap => configMap.Root.At("data").Strings()))
        {
            Assert.Equal("0x400000", data["DOTNET_GCgen0size"]);
        }
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void ConnectionStringsAndKeysComeFromSecretReferences(string valuesFile)
    {
        var chart = RenderedChart.With(valuesFile);
        foreach (var workload in chart.Manifests.Where(manifest => manifest.Kind is "Deployment" or "Job"))
        {
            var env = workload.Containers.Single().At("env").Items();
            string[] connectionStrings = workload.Kind == "Deployment" && workload.Service == "membership"
                ? ["ConnectionStrings__Database", "ConnectionStrings__RabbitMQ", "ConnectionStrings__Redis"]
                : ["ConnectionStrings__Database", "ConnectionStrings__RabbitMQ"];
            foreach (var name in connectionStrings)
            {
                var variable = Assert.Single(env, variable => variable.At("name").Text() == name);
                Assert.Null(variable.At("value"));
                Assert.NotNull(variable.At("valueFrom", "secretKeyRef", "name").Text());
            }

            Assert.All(
                env.Where(variable => variable.At("name").Text()!.StartsWith("Auth__SigningKeys__", StringComparison.Ordinal)),
                variable => Assert.NotNull(variable.At("valueFrom", "secretKeyRef")));
        }
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void ServicesNeverMigrateAtStartAndUseTheProductionInfrastructure(string valuesFile)
    {
        foreach (var configMap in RenderedChart.With(valuesFile).OfKind("ConfigMap"))
        {
            var data = configMap.Root.At("data").Strings();
            Assert.Equal("false", data["Storage__MigrateOnStart"]);
            Assert.Equal("PostgreSQL", data["Storage__Provider"]);
            Assert.Equal("RabbitMQ", data["Bus__Transport"]);
            // Cache__Provider: OnlyMembershipCachesInRedisAndOnlyItGetsRedis.
            Assert.Equal(configMap.Labels["app.kubernetes.io/name"], data["OTEL_SERVICE_NAME"]);
        }
    }

    [Fact]
    public void DefaultsRunInProductionAndDecisionsKnowsWhereMembershipIs()
    {
        var chart = RenderedChart.With("values.yaml");
        Assert.All(chart.OfKind("ConfigMap"), configMap => Assert.Equal("Production", configMap.Root.At("data", "ASPNETCORE_ENVIRONMENT").Text()));

        var decisions = chart.OfKind("ConfigMap").Single(configMap => configMap.Labels["app.kubernetes.io/name"] == "decisions");
        var membershipService = chart.OfKind("Service").Single(service => service.Labels["app.kubernetes.io/name"] == "membership");
        Assert.Equal($"http://{membershipService.Name}:8080", decisions.Root.At("data", "Services__Membership").Text());
    }

    [Fact]
    public void TelemetryGoesToTheConfiguredCollectorWithTheResourceAttributes()
    {
        var chart = RenderedChart.With("values-external.yaml");
        foreach (var deployment in chart.OfKind("Deployment"))
        {
            var configMap = chart.Single("ConfigMap", deployment.Name);
            Assert.Equal("http://otel-collector.observability:4317", configMap.Root.At("data", "OTEL_EXPORTER_OTLP_ENDPOINT").Text());
            var attributes = deployment.Containers.Single().At("env").Items()
                .Single(variable => variable.At("name").Text() == "OTEL_RESOURCE_ATTRIBUTES").At("value").Text()!.Split(',');
            Assert.Contains("deployment.region=hanoi-dc1", attributes);
            Assert.Contains("k8s.pod.name=$(K8S_POD_NAME)", attributes);
            Assert.Contains("service.namespace=egov-steering", attributes);
        }
    }

    [Fact]
    public void A_trace_sample_ratio_below_one_samples_the_traces_that_start_in_the_services()
    {
        // The default records every trace: OpenTelemetry's own default sampler, nothing set.
        Assert.All(RenderedChart.With("values.yaml").OfKind("ConfigMap"), configMap =>
            Assert.DoesNotContain("OTEL_TRACES_SAMPLER", configMap.Root.At("data").Strings().Keys));

        // --set gives the ratio as a string, a values file (or --set-json) as a number.
        foreach (var set in new[] { "--set", "--set-json" })
        {
            var configMaps = RenderedChart.WithArguments(set, "telemetry.traceSampleRatio=0.25").OfKind("ConfigMap").ToList();
            Assert.NotEmpty(configMaps);
            foreach (var data in configMaps.Select(configMap => configMap.Root.At("data").Strings()))
            {
                Assert.Equal("parentbased_traceidratio", data["OTEL_TRACES_SAMPLER"]);
                Assert.Equal("0.25", data["OTEL_TRACES_SAMPLER_ARG"]);
            }
        }

        Assert.Throws<InvalidOperationException>(() => RenderedChart.WithArguments("--set", "telemetry.traceSampleRatio=1.5"));
        Assert.Throws<InvalidOperationException>(() => RenderedChart.WithArguments("--set", "telemetry.traceSampleRatio=some"));
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void OnlyMembershipCachesInRedisAndOnlyItGetsRedis(string valuesFile)
    {
        var chart = RenderedChart.With(valuesFile);
        foreach (var deployment in chart.OfKind("Deployment"))
        {
            var usesRedis = deployment.Service == "membership";
            var config = chart.Single("ConfigMap", deployment.Name).Root.At("data").Strings();
            Assert.Equal(usesRedis ? "Redis" : "Memory", config["Cache__Provider"]);
            Assert.Equal(usesRedis, deployment.Env.ContainsKey("ConnectionStrings__Redis"));
            var egressPorts = chart.Single("NetworkPolicy", deployment.Name).Root.At("spec", "egress").Items()
                .SelectMany(rule => rule.At("ports").Items()).Select(port => port.At("port").Text());
            Assert.Equal(usesRedis, egressPorts.Contains("6379"));
        }

        foreach (var secret in chart.OfKind("Secret").Where(secret => secret.Labels.GetValueOrDefault("app.kubernetes.io/name") is "decisions" or "notifications"))
        {
            Assert.DoesNotContain("redis", secret.Root.At("data").Strings().Keys);
        }
    }
}
