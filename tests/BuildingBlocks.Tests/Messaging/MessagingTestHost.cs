using Egov.Steering.Events.V1;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Inbox;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.Messaging.Serialization;
using MassTransit;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging;

/// <summary>
/// One service replica: its DbContext (with the interceptors from DI, as the service defaults register it),
/// MassTransit on a real RabbitMQ with exchange and queue names of this test only, an optional outbox relay
/// and an optional consumer.
/// </summary>
public sealed class MessagingTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private MessagingTestHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<MessagingTestHost> StartAsync(
        TestDatabase database,
        Uri rabbitMq,
        string topology,
        bool relay = true,
        Type? consumer = null,
        int concurrentMessageLimit = 8,
        Action<OutboxOptions>? outbox = null,
        ILoggerProvider? logs = null,
        Action<IServiceCollection>? services = null,
        bool sweeps = true)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(logs is null ? LogLevel.Warning : LogLevel.Debug);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        // Start returns once the queues are bound: a message published earlier would have nowhere to go.
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        builder.Services.AddSingleton(new ConsumerName(topology));
        builder.Services.AddDbContext<MessagingTestDbContext>((services, options) =>
        {
            database.Configure(options);
            options.AddInterceptors(services.GetServices<IInterceptor>());
        });
        builder.Services.AddSingleton<ProtobufMessageTypes>();
        builder.Services.AddSingleton<MessagingMetrics>();
        builder.Services.AddSingleton<DeliveryLog>();
        builder.Services.AddSingleton<PoisonedMessages>();
        if (consumer is not null)
        {
            // Without sweeps, whatever is handled was handled by the consumer itself (a sweep may take a parked
            // message's release from it and finish after the consumer has returned).
            var interval = sweeps ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromHours(1);
            builder.Configuration["Messaging:ParkedCountInterval"] = interval.ToString();
            builder.Configuration["Messaging:ParkedReleaseInterval"] = (interval * 2).ToString();
            builder.Services.AddParkedMessageCounter<MessagingTestDbContext>();
            if (consumer.IsAssignableTo(typeof(IParkedMessageReleaser)))
            {
                builder.Services.AddSingleton(typeof(IHostedService), typeof(ParkedMessageRelease<>).MakeGenericType(consumer));
            }
        }

        builder.Services.AddMassTransit(bus =>
        {
            if (consumer is not null)
            {
                bus.AddConsumer(consumer);
            }

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(rabbitMq, host => host.PublisherConfirmation = true);
                rabbit.UseProtobufSerializer(context.GetRequiredService<ProtobufMessageTypes>());
                rabbit.Message<EventEnvelope>(message => message.SetEntityName(topology + ".events"));
                if (consumer is not null)
                {
                    rabbit.ReceiveEndpoint(topology + ".consumer", endpoint =>
                    {
                        endpoint.ConcurrentMessageLimit = concurrentMessageLimit;
                        endpoint.PrefetchCount = concurrentMessageLimit;
                        // As the services: a transaction that lost a race with another (a concurrency check) runs again.
                        endpoint.UseMessageRetry(retry => retry.Interval(5, TimeSpan.FromMilliseconds(100)));
                        endpoint.ConfigureConsumer(context, consumer);
                    });
                }
            });
        });
        if (relay)
        {
            builder.Services.AddOutboxRelay<MessagingTestDbContext>(options =>
            {
                // Short retry delays so that a test's broker restart is caught up quickly.
                options.MaxRetryDelay = TimeSpan.FromSeconds(2);
                outbox?.Invoke(options);
            });
        }

        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new MessagingTestHost(host);
    }

    /// <summary>A DbContext of this replica, as a request handler of the service would get it.</summary>
    public AsyncServiceScope CreateScope(out MessagingTestDbContext db)
    {
        var scope = _host.Services.CreateAsyncScope();
        db = scope.ServiceProvider.GetRequiredService<MessagingTestDbContext>();
        return scope;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

/// <summary>The inbox name of the test's consumer: unique per test, so tests running together never mix.</summary>
public sealed record ConsumerName(string Value);
