using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Egov.Steering.ServiceDefaults.Health;

/// <summary>
/// The last health report, published by the checks that run in the background (every <c>Health:Interval</c>): the
/// probes read it instead of running the checks on each call. Until the first publication, readiness waits for a
/// first run of its own (shared by every caller and published like the others) and liveness runs its checks.
/// </summary>
public sealed class PublishedHealth(IServiceProvider services) : IHealthCheckPublisher
{
    private readonly Lazy<Task<Snapshot>> first = new(() => RunFirstAsync(services));
    private Snapshot? latest;

    /// <summary>The last published report, read by the probes.</summary>
    public sealed record Snapshot(HealthStatus Live, HealthStatus Ready, byte[] ReadinessJson);

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        Volatile.Write(ref latest, Summarize(report));
        return Task.CompletedTask;
    }

    /// <summary>The last published snapshot; before any, a first run's.</summary>
    public Task<Snapshot> ReadinessAsync() => Volatile.Read(ref latest) is { } snapshot ? Task.FromResult(snapshot) : first.Value;

    /// <summary>Liveness from the last published snapshot; before any, from its own checks run now.</summary>
    public async Task<HealthStatus> LivenessAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref latest) is { } snapshot)
        {
            return snapshot.Live;
        }

        var report = await services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains(HealthTags.Live), cancellationToken);
        return report.Status;
    }

    private static async Task<Snapshot> RunFirstAsync(IServiceProvider services)
    {
        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(CancellationToken.None);
        foreach (var publisher in services.GetServices<IHealthCheckPublisher>())
        {
            await publisher.PublishAsync(report, CancellationToken.None);
        }

        return Summarize(report);
    }

    private static Snapshot Summarize(HealthReport report) =>
        new(StatusOf(report, HealthTags.Live), StatusOf(report, HealthTags.Ready), ReadinessJson(report));

    private static HealthStatus StatusOf(HealthReport report, string tag) =>
        report.Entries.Values.Where(entry => entry.Tags.Contains(tag)).Select(entry => entry.Status).DefaultIfEmpty(HealthStatus.Healthy).Min();

    // Status and description per readiness check; exception details stay in the log (they may name hosts and credentials).
    private static byte[] ReadinessJson(HealthReport report)
    {
        var ready = report.Entries.Where(entry => entry.Value.Tags.Contains(HealthTags.Ready)).ToList();
        return JsonSerializer.SerializeToUtf8Bytes(new
        {
            status = StatusOf(report, HealthTags.Ready).ToString(),
            checks = ready.ToDictionary(entry => entry.Key, entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        });
    }
}
