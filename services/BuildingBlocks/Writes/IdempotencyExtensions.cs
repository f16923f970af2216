using Egov.Steering.ServiceDefaults.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Egov.Steering.Writes;

public static class IdempotencyExtensions
{
    /// <summary>
    /// Registers the scoped <see cref="IdempotentWrites"/> (needs the <c>Caller</c> of AddSteeringAuthentication) and
    /// the purge of expired answers in <typeparamref name="TContext"/> (section <c>Idempotency</c>), and the audit of
    /// refused writes.
    /// </summary>
    public static IServiceCollection AddIdempotentWrites<TContext>(this IServiceCollection services)
        where TContext : DbContext
    {
        services.AddOptions<IdempotencyOptions>()
            .BindConfiguration(IdempotencyOptions.SectionName)
            .Validate(options => options.Retention > TimeSpan.Zero && options.PurgeInterval > TimeSpan.Zero,
                "Idempotency:Retention and Idempotency:PurgeInterval must be positive")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<IdempotentWrites>();
        services.AddRefusedCallAudit<TContext>();
        services.AddSingleton<IdempotencyPurgeService<TContext>>();
        services.AddHostedService(provider => provider.GetRequiredService<IdempotencyPurgeService<TContext>>());
        return services;
    }
}
