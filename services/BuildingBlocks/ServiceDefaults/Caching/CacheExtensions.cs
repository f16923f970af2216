using Egov.Steering.ServiceDefaults.Health;
using Egov.Steering.ServiceDefaults.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Egov.Steering.ServiceDefaults.Caching;

public static class CacheExtensions
{
    /// <summary>
    /// With <c>Cache:Provider = Redis</c>: one shared <see cref="IConnectionMultiplexer"/> for
    /// <c>ConnectionStrings:Redis</c> and its health check. The cache is an accelerator: the service starts and keeps
    /// serving while Redis is down (the connection retries in the background), and health reports Degraded, not unready.
    /// </summary>
    public static IHostApplicationBuilder AddServiceCache(this IHostApplicationBuilder builder)
    {
        if (builder.GetInfrastructureOptions().Cache != CacheProvider.Redis)
        {
            return builder;
        }

        var configuration = ConfigurationOptions.Parse(builder.Configuration.GetConnectionString("Redis")!);
        configuration.AbortOnConnectFail = false;
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(configuration));
        builder.Services.AddHealthChecks()
            .AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded, [HealthTags.Ready]);
        return builder;
    }
}
