using System.Net;
using Egov.Steering.ServiceDefaults.Health;
using Egov.Steering.TestSupport;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>
/// The probes (/healthz, /readyz, grpc.health.v1) answer from the last result of the checks run in the background:
/// a probe runs no check, and a dependency going down shows within one interval.
/// </summary>
public sealed class PublishedHealthTests
{
    [Fact]
    public async Task Probes_answer_from_the_last_run_without_running_the_checks()
    {
        var dependency = new SwitchableCheck();
        await using var host = await StartAsync(dependency, TimeSpan.FromHours(1));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await ProbeAsync(host, "/readyz"));
            Assert.Equal(HttpStatusCode.OK, await ProbeAsync(host, "/healthz"));
            Assert.Equal(ServingStatus.Serving, await CheckAsync(host, string.Empty));
            Assert.Equal(ServingStatus.Serving, await CheckAsync(host, HealthExtensions.LivenessServiceName));
        }

        // The run at start-up, and the first probe's if it came before that run's result.
        Assert.InRange(dependency.Runs, 1, 2);
    }

    [Fact]
    public async Task A_dependency_going_down_and_back_shows_within_the_interval()
    {
        var dependency = new SwitchableCheck();
        await using var host = await StartAsync(dependency, TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, await ProbeAsync(host, "/readyz"));

        dependency.Healthy = false;
        await Eventually.WaitUntilAsync(
            async () => await ProbeAsync(host, "/readyz") == HttpStatusCode.ServiceUnavailable && await CheckAsync(host, string.Empty) == ServingStatus.NotServing,
            "readiness reports the dependency down");
        Assert.Equal(HttpStatusCode.OK, await ProbeAsync(host, "/healthz"));
        Assert.Equal(ServingStatus.Serving, await CheckAsync(host, HealthExtensions.LivenessServiceName));

        dependency.Healthy = true;
        await Eventually.WaitUntilAsync(
            async () => await ProbeAsync(host, "/readyz") == HttpStatusCode.OK && await CheckAsync(host, string.Empty) == ServingStatus.Serving,
            "readiness reports the dependency back");
    }

    [Fact]
    public async Task Before_the_first_result_readiness_is_not_serving_and_liveness_serving()
    {
        var firstRun = new TaskCompletionSource<HealthCheckResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestServiceHost.StartAsync(
            new Dictionary<string, string?> { ["Health:Interval"] = TimeSpan.FromHours(1).ToString() },
            builder => builder.Services.AddHealthChecks().AddAsyncCheck("slow", () => firstRun.Task, tags: [HealthTags.Ready]));

        // A client (or kubelet) asking while the first checks still run learns "not ready", not "no such service".
        Assert.Equal(ServingStatus.NotServing, await CheckAsync(host, string.Empty));
        Assert.Equal(ServingStatus.Serving, await CheckAsync(host, HealthExtensions.LivenessServiceName));

        firstRun.SetResult(HealthCheckResult.Healthy());
        await Eventually.WaitUntilAsync(
            async () => await CheckAsync(host, string.Empty) == ServingStatus.Serving, "readiness after the first result");
    }

    private static Task<TestServiceHost> StartAsync(SwitchableCheck dependency, TimeSpan interval) =>
        TestServiceHost.StartAsync(
            new Dictionary<string, string?> { ["Health:Interval"] = interval.ToString() },
            builder => builder.Services.AddHealthChecks().AddCheck("dependency", dependency, tags: [HealthTags.Ready]));

    private static async Task<HttpStatusCode> ProbeAsync(TestServiceHost host, string path)
    {
        using var client = host.CreateHttpClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private static async Task<ServingStatus> CheckAsync(TestServiceHost host, string service) =>
        (await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest { Service = service })).Status;

    private sealed class SwitchableCheck : IHealthCheck
    {
        private int runs;

        private volatile bool healthy = true;

        public bool Healthy
        {
            get => healthy;
            set => healthy = value;
        }

        public int Runs => Volatile.Read(ref runs);

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref runs);
            return Task.FromResult(Healthy ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("switched off"));
        }
    }
}
