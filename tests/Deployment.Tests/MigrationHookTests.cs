using Egov.Steering.Deployment.Tests.Chart;

namespace Egov.Steering.Deployment.Tests;

/// <summary>Migrations run as pre-install/pre-upgrade hook Jobs, after everything they need exists.</summary>
public sealed class MigrationHookTests
{
    public static TheoryData<string> ValuesFiles => RenderedChart.ValuesFiles();

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void EachServiceIsMigratedByAHookJobBeforeItsPodsChange(string valuesFile)
    {
        var chart = RenderedChart.With(valuesFile);
        var jobs = chart.OfKind("Job").ToList();
        Assert.Equal(3, jobs.Count);
        foreach (var deployment in chart.OfKind("Deployment"))
        {
            var service = deployment.Labels["app.kubernetes.io/name"];
            var job = Assert.Single(jobs, job => job.Labels["app.kubernetes.io/name"] == service);
            Assert.Equal("pre-install,pre-upgrade", job.Annotations["helm.sh/hook"]);
            Assert.False(deployment.IsHook);

            var migrate = job.Containers.Single();
            Assert.Equal(["migrate"], migrate.At("args").Items().Select(arg => arg.Text()));
            Assert.Equal(deployment.Containers.Single().At("image").Text(), migrate.At("image").Text());
            Assert.Equal("Never", job.PodTemplate.At("spec", "restartPolicy").Text());
        }
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void WhatAMigrationJobNeedsExistsBeforeItRuns(string valuesFile)
    {
        var chart = RenderedChart.With(valuesFile);
        foreach (var job in chart.OfKind("Job"))
        {
            var pod = job.PodTemplate.At("spec");
            var serviceAccount = chart.Single("ServiceAccount", pod.At("serviceAccountName").Text()!);
            Assert.True(serviceAccount.IsHook && serviceAccount.HookWeight < job.HookWeight, $"{serviceAccount} is not created before {job}");

            var podLabels = job.PodTemplate.At("metadata", "labels").Strings();
            var policy = Assert.Single(chart.OfKind("NetworkPolicy"), policy =>
                policy.IsHook && LabelTests.Matches(policy.Root.At("spec", "podSelector", "matchLabels").Strings(), podLabels));
            Assert.True(policy.HookWeight < job.HookWeight, $"{policy} is not created before {job}");

            // The ConfigMaps are not installed yet during pre-install: the Job must not depend on them.
            var container = job.Containers.Single();
            Assert.Null(container.At("envFrom"));
            Assert.Contains(container.At("env").Items(), variable => variable.At("name").Text() == "Storage__Provider");
            // The migrate verb also declares the service's queues on RabbitMQ, so it gets the bus settings too.
            Assert.Contains(container.At("env").Items(), variable => variable.At("name").Text() == "Bus__Transport");
            Assert.Contains(container.At("env").Items(), variable => variable.At("name").Text() == "ConnectionStrings__RabbitMQ");

            // A Secret the chart creates is a hook that comes first; any other one must exist before the install.
            var secretNames = container.At("env").Items()
                .Select(variable => variable.At("valueFrom", "secretKeyRef", "name").Text())
                .OfType<string>().Distinct();
            foreach (var secret in chart.OfKind("Secret").Where(secret => secretNames.Contains(secret.Name)))
            {
                Assert.True(secret.IsHook && secret.HookWeight < job.HookWeight, $"{secret} is not created before {job}");
            }
        }
    }

    [Fact]
    public void ChartCreatedSecretsHoldEveryKeyTheServicesRead()
    {
        var chart = RenderedChart.With("values-dev.yaml");
        foreach (var workload in chart.Manifests.Where(manifest => manifest.Kind is "Deployment" or "Job"))
        {
            foreach (var reference in workload.Containers.Single().At("env").Items().Select(variable => variable.At("valueFrom", "secretKeyRef")).OfType<YamlDotNet.RepresentationModel.YamlNode>())
            {
                var secret = chart.Single("Secret", reference.At("name").Text()!);
                Assert.True(secret.Root.At("data").Strings().ContainsKey(reference.At("key").Text()!), $"{secret} has no key {reference.At("key").Text()}");
            }
        }
    }
}
