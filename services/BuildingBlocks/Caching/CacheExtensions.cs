using Egov.Steering.ServiceDefaults.Health;
using Egov.Steering.ServiceDefaults.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using StackExchange.Redis;

namespace Egov.Steering.Caching;

public static class CacheExtensions
{
    /// <summary>
    /// With <c>Cache:Provider = Redis</c>: one shared <see cref="RedisConnection"/> for <c>ConnectionStrings:Redis</c>,
    /// traced, and its health check. The cache is an accelerator: the service starts without waiting for Redis and
    /// keeps serving while Redis is slow or down (the connection opens and retries in the background), and health
    /// reports Degraded, not unready.
    /// </summary>
    public static IHostApplicationBuilder AddServiceCache(this IHostApplicationBuilder builder)
    {
        // Once per host, whichever of its parts asks first: one connection, one health check.
        if (builder.GetInfrastructureOptions().Cache != CacheProvider.Redis || !builder.Properties.TryAdd(typeof(RedisConnection), true))
        {
            return builder;
        }

        var configuration = ConfigurationOptions.Parse(builder.Configuration.GetConnectionString("Redis")!);
        builder.Services.AddSingleton(services => new RedisConnection(configuration, services.GetRequiredService<ILogger<RedisConnection>>()));
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddRedisInstrumentation().ConfigureRedisInstrumentation(
            (services, instrumentation) => services.GetRequiredService<RedisConnection>().WhenCreated(multiplexer => instrumentation.AddConnection(multiplexer))));
        builder.Services.AddHealthChecks()
            .AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded, [HealthTags.Ready]);
        return builder;
    }
}
