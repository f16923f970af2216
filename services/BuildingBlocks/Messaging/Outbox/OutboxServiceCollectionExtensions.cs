using Egov.Steering.Messaging.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Egov.Steering.Messaging.Outbox;

public static class OutboxServiceCollectionExtensions
{
    /// <summary>
    /// Runs the outbox relay of <typeparamref name="TContext"/> (which must call <c>AddOutboxAndInbox()</c> in its
    /// model) as a hosted service publishing through the registered MassTransit bus, and registers the commit
    /// interceptor as an <see cref="IInterceptor"/> for the DbContext registration to pick up. Options come from
    /// the configuration section <c>Outbox</c>, then <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddOutboxRelay<TContext>(this IServiceCollection services, Action<OutboxOptions>? configure = null)
        where TContext : DbContext
    {
        services.AddOptions<OutboxOptions>()
            .BindConfiguration(OutboxOptions.SectionName)
            .Configure(options => configure?.Invoke(options))
            .Validate(
                options => options.BatchSize > 0 && options.MaxConcurrentPartitions > 0 && options.PurgeBatchSize > 0
                    && options.PollInterval > TimeSpan.Zero && options.PublishTimeout > TimeSpan.Zero && options.LockedRetryDelay > TimeSpan.Zero
                    && options.MinRetryDelay > TimeSpan.Zero && options.MaxRetryDelay >= options.MinRetryDelay,
                "Outbox: batch sizes and concurrency must be positive, intervals and delays above zero, MaxRetryDelay >= MinRetryDelay")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutboxSignals>();
        services.TryAddSingleton<ProtobufMessageTypes>();
        services.TryAddSingleton<MessagingMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInterceptor, OutboxInterceptor>());
        services.TryAddSingleton<PublishStallRecovery>();
        services.AddSingleton<OutboxPartitionPublisher<TContext>>();
        services.AddHostedService<OutboxRelay<TContext>>();
        return services;
    }
}
