using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Egov.Steering.Messaging;

/// <summary>
/// Liveness of the bus's consumers: Unhealthy while <see cref="ConsumerWatchdog"/> finds queues this service consumes
/// without a consumer though the broker answers and their endpoint was restarted. Not a dependency's failure (the
/// broker is up) but the process's own, which only a restart mends: the orchestrator's liveness probe does it.
/// </summary>
internal sealed class ConsumptionLoss : IHealthCheck
{
    public const string Name = "bus-consumers";

    private volatile IReadOnlyList<string> queues = [];

    /// <summary>The queues the last check found lost (kept when a check cannot reach the broker: then it does not know).</summary>
    public IReadOnlyList<string> Queues
    {
        get => queues;
        set => queues = value;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(queues is { Count: > 0 } lost
            ? HealthCheckResult.Unhealthy($"MassTransit no longer consumes {string.Join(", ", lost)} though the broker answers; restart the process")
            : HealthCheckResult.Healthy());
}
