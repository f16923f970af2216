using Egov.Steering.Messaging.Inbox;
using Egov.Steering.Messaging.Serialization;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Health;
using Egov.Steering.ServiceDefaults.Infrastructure;
using Egov.Steering.ServiceDefaults.Telemetry;
using Egov.Steering.Storage;
using Google.Protobuf;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Egov.Steering.Messaging;

public static class MessagingExtensions
{
    /// <summary>The bus's health check; tagged <see cref="HealthTags.Ready"/> so that <c>/readyz</c> includes it.</summary>
    public const string BusHealthCheckName = "bus";

    /// <summary>
    /// The bus every service uses: MassTransit on RabbitMQ (<c>ConnectionStrings:RabbitMQ</c>, publisher confirms on) or
    /// in memory per <c>Bus:Transport</c>; protobuf on the wire; bounded exponential retries, optional delayed
    /// redelivery, then the queue's <c>_error</c> queue; kebab-case queue names prefixed per service; a readiness check.
    /// Register consumers (and protobuf types beyond events/v1, via the <see cref="ProtobufMessageTypes"/> singleton)
    /// in <paramref name="configure"/>.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(
        this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
    {
        var options = builder.Configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>() ?? new();
        var transport = builder.GetInfrastructureOptions().Bus;
        builder.Services.TryAddSingleton<ProtobufMessageTypes>();
        builder.Services.TryAddSingleton<MessagingMetrics>();
        builder.AddTelemetrySources(MessagingMetrics.MeterName);

        // Checked present by GetInfrastructureOptions.
        var rabbitMq = transport == BusTransport.RabbitMQ ? new Uri(builder.Configuration.GetConnectionString("RabbitMQ")!) : null;
        if (rabbitMq is not null)
        {
            _ = RabbitMqCluster.Endpoints(rabbitMq, options); // a mistyped cluster node fails the start, not the first reconnect
        }

        builder.Services.AddMassTransit(bus => bus.AddSteeringBus(options, rabbitMq, configure, deployTopologyOnly: false));
        if (rabbitMq is not null)
        {
            // The migrate verb declares the queues before any service of the release publishes (see README).
            builder.Services.AddSingleton<IReleaseStep>(provider => new BusTopologyDeployment(provider, options, rabbitMq, configure));
            builder.Services.AddBusRecovery(rabbitMq, options);
        }

        // The host starts without waiting for the broker: writes still commit to the outbox and /readyz reports the bus.
        return builder;
    }

    /// <summary>
    /// What mends a bus on RabbitMQ that the broker stopped serving without closing its connection: the consumer watchdog
    /// (<see cref="ConsumerWatchdog"/>) and the outbox relay's restart on unconfirmed publishes (<c>PublishStallRecovery</c>),
    /// both restarting the bus; <see cref="RabbitMqBroker"/> is their own connection. An endpoint MassTransit stopped
    /// reconnecting is restarted by the watchdog, and fails liveness if that does not help (<see cref="ConsumptionLoss"/>).
    /// Part of <see cref="AddMessaging"/>.
    /// </summary>
    public static IServiceCollection AddBusRecovery(this IServiceCollection services, Uri rabbitMq, MessagingOptions options)
    {
        services.AddSingleton(new RabbitMqBroker(rabbitMq, options));
        MessagingOptionsSetup.AddTo(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<BusRestart>();
        services.AddSingleton<ConsumptionLoss>();
        services.AddSingleton<ConsumerProbe>();
        services.AddHealthChecks().AddCheck<ConsumptionLoss>(ConsumptionLoss.Name, tags: [HealthTags.Live]);
        services.AddHostedService<ConsumerWatchdog>();
        return services;
    }

    /// <summary>
    /// The bus of <see cref="AddMessaging"/>, on RabbitMQ at <paramref name="rabbitMq"/> (publisher confirms on) or in
    /// memory when it is null. With <paramref name="deployTopologyOnly"/> its receive endpoints only declare their
    /// queues, exchanges and bindings and never consume (<see cref="BusTopologyDeployment"/>).
    /// </summary>
    internal static void AddSteeringBus(
        this IBusRegistrationConfigurator bus,
        MessagingOptions options,
        Uri? rabbitMq,
        Action<IBusRegistrationConfigurator>? configure,
        bool deployTopologyOnly)
    {
        bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(options.QueueNamePrefix, includeNamespace: false));
        bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
        {
            endpoint.ApplyQueueType(options);
            endpoint.UseFailureHandling(options);
        });

        // A government register does not report its configuration to a third party (nor fail trying, offline).
        bus.ConfigureUsageTelemetryOptions(telemetry => telemetry.Enabled = false);
        bus.ConfigureHealthCheckOptions(health =>
        {
            health.Name = BusHealthCheckName;
            health.Tags.Add(HealthTags.Ready);
        });
        configure?.Invoke(bus);

        if (rabbitMq is null)
        {
            bus.UsingInMemory((context, cfg) => cfg.ConfigureSteeringBus(context, options));
            return;
        }

        bus.UsingRabbitMq((context, cfg) =>
        {
            cfg.ConfigureClusterHost(rabbitMq, options);
            cfg.DeployTopologyOnly = deployTopologyOnly;
            cfg.ConfigureSteeringBus(context, options);
        });
    }

    private static void ConfigureSteeringBus<TEndpoint>(
        this IBusFactoryConfigurator<TEndpoint> cfg, IBusRegistrationContext context, MessagingOptions options)
        where TEndpoint : IReceiveEndpointConfigurator
    {
        var messageTypes = context.GetRequiredService<ProtobufMessageTypes>();
        if (!string.IsNullOrWhiteSpace(options.TopologyPrefix))
        {
            cfg.MessageTopology.SetEntityNameFormatter(
                new PrefixEntityNameFormatter(cfg.MessageTopology.EntityNameFormatter, options.TopologyPrefix.TrimEnd('.') + "."));
        }

        if (cfg is IRabbitMqBusFactoryConfigurator rabbit)
        {
            rabbit.RouteEventsByType();
        }

        cfg.UseProtobufSerializer(messageTypes);
        cfg.ExcludeProtobufInterfaces(messageTypes);
        if (options.PrefetchCount is { } prefetchCount)
        {
            cfg.PrefetchCount = prefetchCount;
        }

        cfg.ConfigureEndpoints(context);
    }

    private static void UseFailureHandling(this IReceiveEndpointConfigurator endpoint, MessagingOptions options)
    {
        if (options.RedeliveryIntervals.Length > 0)
        {
            endpoint.UseDelayedRedelivery(redelivery => redelivery.Intervals(options.RedeliveryIntervals));
        }

        // A database restarting or failing over fails every message alike for as long as it is away: such a failure is
        // retried through the outage, counted apart, or every message delivered meanwhile would go to the error queue
        // and wait there for an operator to replay it.
        endpoint.UseMessageRetry(retry =>
        {
            retry.Exponential(options.TransientRetryLimit, options.RetryMinInterval, options.RetryMaxInterval, options.RetryMinInterval);
            retry.Handle<Exception>(TransientFailures.Caused);
        });
        endpoint.UseMessageRetry(retry =>
        {
            retry.Exponential(options.RetryLimit, options.RetryMinInterval, options.RetryMaxInterval, options.RetryMinInterval);
            retry.Ignore<Exception>(TransientFailures.Caused);
        });
    }

    /// <summary>
    /// MassTransit would also publish every protobuf message to exchanges named after the interfaces generated classes
    /// implement (<c>Google.Protobuf:IMessage</c>, ...): broker clutter that no consumer wants.
    /// </summary>
    private static void ExcludeProtobufInterfaces(this IBusFactoryConfigurator cfg, ProtobufMessageTypes messageTypes)
    {
        cfg.PublishTopology.GetMessageTopology(typeof(IMessage)).Exclude = true;
        cfg.PublishTopology.GetMessageTopology(typeof(IBufferMessage)).Exclude = true;
        foreach (var descriptor in messageTypes.Descriptors)
        {
            cfg.PublishTopology.GetMessageTopology(typeof(IMessage<>).MakeGenericType(descriptor.ClrType)).Exclude = true;
            cfg.PublishTopology.GetMessageTopology(typeof(IDeepCloneable<>).MakeGenericType(descriptor.ClrType)).Exclude = true;
        }
    }
}
