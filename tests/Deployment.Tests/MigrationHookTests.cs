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

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void MigrationJobsReadOnlyTheirOwnCredentialsForTheDatabaseAndRabbitMq(string valuesFile)
    {
        var chart = RenderedChart.With(valuesFile);
        var podSecrets = chart.OfKind("Deployment").SelectMany(SecretReferences).Select(reference => reference.Secret).ToHashSet();
        foreach (var job in chart.OfKind("Job"))
        {
            var references = SecretReferences(job).ToList();
            // What `migrate` uses: the schema owner's connection string and RabbitMQ's (queue declaration). No
            // Redis, no signing key, nothing the service's pods read.
            Assert.Equal(
                ["ConnectionStrings__Database", "ConnectionStrings__RabbitMQ"],
                references.Select(reference => reference.Variable).Order());
            var secret = Assert.Single(references.Select(reference => reference.Secret).Distinct());
            Assert.DoesNotContain(secret, podSecrets);
            Assert.Equal("Memory", job.Env["Cache__Provider"].At("value").Text());
        }
    }

    [Fact]
    public void TheMigrationSecretExistsOnlyWhileTheMigrationRuns()
    {
        var chart = RenderedChart.With("values-dev.yaml");
        foreach (var job in chart.OfKind("Job"))
        {
            var secret = chart.Single("Secret", SecretReferences(job).First().Secret);
            Assert.True(secret.IsHook && secret.HookWeight < job.HookWeight, $"{secret} is not created before {job}");
            Assert.Contains("hook-succeeded", secret.Annotations["helm.sh/hook-delete-policy"], StringComparison.Ordinal);
            Assert.Equal(["database", "rabbitmq"], secret.Root.At("data").Strings().Keys.Order());
        }
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void TheReleaseStepLeavesNothingBehindOnceItSucceeds(string valuesFile)
    {
        var chart = RenderedChart.With(valuesFile);
        var hooks = chart.Manifests.Where(manifest => manifest.IsHook).ToList();
        Assert.NotEmpty(hooks);
        foreach (var hook in hooks)
        {
            var policies = hook.Annotations["helm.sh/hook-delete-policy"].Split(',');
            Assert.Contains("hook-succeeded", policies);
            Assert.Contains("before-hook-creation", policies);
        }

        // A failed Job is kept for its logs, for a while.
        Assert.All(chart.OfKind("Job"), job => Assert.True(int.Parse(job.Root.At("spec", "ttlSecondsAfterFinished").Text()!, System.Globalization.CultureInfo.InvariantCulture) > 0));
    }

    [Fact]
    public void SecretsThePodsReadBelongToTheReleaseAndRollThePodsWhenTheyChange()
    {
        var chart = RenderedChart.With("values-dev.yaml");
        foreach (var deployment in chart.OfKind("Deployment"))
        {
            // A hook Secret would survive `helm uninstall` and be recreated by every upgrade.
            foreach (var secret in SecretReferences(deployment).Select(reference => chart.Single("Secret", reference.Secret)))
            {
                Assert.False(secret.IsHook, $"{secret} read by {deployment} is a hook");
            }
        }

        var changed = RenderedChart.WithArguments(
            "--values", Path.Combine(Helm.ChartDirectory, "values-dev.yaml"),
            "--set", "secrets.values.decisions.database=Host=elsewhere;Password=rotated");
        foreach (var deployment in chart.OfKind("Deployment"))
        {
            var before = deployment.PodTemplate.At("metadata", "annotations", "checksum/secret").Text();
            var after = changed.Single("Deployment", deployment.Name).PodTemplate.At("metadata", "annotations", "checksum/secret").Text();
            Assert.NotNull(before);
            Assert.Equal(deployment.Service == "decisions", before != after);
        }
    }

    private sealed record SecretReference(string Variable, string Secret, string Key);

    private static IEnumerable<SecretReference> SecretReferences(Manifest workload) =>
        workload.Env.Values
            .Where(variable => variable.At("valueFrom", "secretKeyRef") is not null)
            .Select(variable => new SecretReference(
                variable.At("name").Text()!,
                variable.At("valueFrom", "secretKeyRef", "name").Text()!,
                variable.At("valueFrom", "secretKeyRef", "key").Text()!));
}
