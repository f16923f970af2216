using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Egov.Steering.Caching;

/// <summary>
/// Redis reachable or not. Registered with failure status Degraded: reads fall back to the database, so a Redis
/// outage makes the service slower, never unready.
/// </summary>
public sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // While disconnected a command waits in the reconnect backlog until it times out: answer at once instead.
        if (redis.Multiplexer is not { IsConnected: true } multiplexer)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis is not connected; reads use the database");
        }

        try
        {
            var latency = await multiplexer.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis did not answer; reads use the database", exception);
        }
    }
}
