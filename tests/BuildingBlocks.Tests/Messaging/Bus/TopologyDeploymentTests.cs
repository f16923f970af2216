using Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.ServiceDefaults;
using Egov.Steering.Storage;
using Egov.Steering.TestSupport;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging.Bus;

/// <summary>
/// The <c>migrate</c> verb (the release step) declares a service's queues and bindings on RabbitMQ, so an event
/// published before that service ever ran — a fresh broker, the service still crash-looping, or its publisher ready
/// first — waits in its queue instead of being dropped by an exchange with nothing bound.
/// </summary>
public sealed class TopologyDeploymentTests
{
    [Fact]
    public async Task An_event_published_after_the_consumers_migrate_but_before_it_ever_ran_reaches_it_once_it_starts()
    {
        var prefix = "test-" + Guid.NewGuid().ToString("N")[..12];
        await using var consumer = ConsumerService(prefix);
        var queue = consumer.Services.GetRequiredService<IEndpointNameFormatter>().Consumer<RecordingConsumer>();
        try
        {
            Assert.Equal(0, await consumer.RunServiceAsync<NotesDbContext>([ServiceRunner.MigrateVerb]));

            var published = TestBus.NewEvent();
            using (var producer = await StartProducerAsync(prefix, await TestDatabase.CreatePostgresAsync()))
            {
                await using (var scope = producer.Services.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<MessagingTestDbContext>();
                    db.AddOutboxEvent(published);
                    await db.SaveChangesAsync();
                }

                // Confirmed by the broker and marked published while the consumer has never run.
                await Eventually.WaitUntilAsync(() => IsPublishedAsync(producer, Guid.Parse(published.Id)), "the relay publishes the event");
                await producer.StopAsync();
            }

            await consumer.StartAsync();
            var received = await consumer.Services.GetRequiredService<Deliveries>().WaitAsync<ReceivedEvent>(published.Id);
            Assert.Equal(Guid.Parse(published.Id), received.MessageId);
            Assert.Equal(published, received.Message);
            await consumer.StopAsync();
        }
        finally
        {
            await TestBus.DeleteQueuesAsync([queue]);
        }
    }

    [Fact]
    public async Task Migrate_fails_when_the_broker_is_unreachable()
    {
        var port = TestInfrastructure.FreePort();
        await using var consumer = ConsumerService(
            "test-" + Guid.NewGuid().ToString("N")[..12],
            new Dictionary<string, string?>
            {
                ["ConnectionStrings:RabbitMQ"] = $"amqp://guest:guest@127.0.0.1:{port}/",
                ["Messaging:DeployTimeout"] = "00:00:01",
            });

        // The release stops here, before any pod of the new version could publish into missing queues.
        var failure = await Assert.ThrowsAsync<TimeoutException>(() => consumer.RunServiceAsync<NotesDbContext>([ServiceRunner.MigrateVerb]));
        Assert.Contains($"127.0.0.1:{port}", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Messaging:DeployTimeout", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_declares_the_queues_and_ends_even_when_the_bus_never_finishes_stopping()
    {
        var prefix = "test-" + Guid.NewGuid().ToString("N")[..12];
        await using var consumer = ConsumerService(prefix, new Dictionary<string, string?> { ["Messaging:StopTimeout"] = "00:00:01" }, StopNeverEnds.Register);
        var queue = consumer.Services.GetRequiredService<IEndpointNameFormatter>().Consumer<RecordingConsumer>();
        try
        {
            // Waited for a bounded time: a release step that hangs would hold the whole release.
            Assert.Equal(0, await consumer.RunServiceAsync<NotesDbContext>([ServiceRunner.MigrateVerb]).WaitAsync(TimeSpan.FromMinutes(1)));
            Assert.True(await TestBus.QueueExistsAsync(queue));
        }
        finally
        {
            await TestBus.DeleteQueuesAsync([queue]);
        }
    }

    private static Dictionary<string, string?> Settings(string prefix, string service) => new()
    {
        ["Bus:Transport"] = "RabbitMQ",
        ["ConnectionStrings:RabbitMQ"] = TestInfrastructure.RabbitMqUri.ToString(),
        ["Messaging:EndpointPrefix"] = $"{prefix}-{service}",
        ["Messaging:TopologyPrefix"] = prefix,
    };

    /// <summary>A service that consumes events, composed as a Program.cs composes one, not started.</summary>
    private static WebApplication ConsumerService(
        string prefix, IDictionary<string, string?>? overrides = null, Action<IBusRegistrationConfigurator>? configureBus = null)
    {
        var settings = Settings(prefix, "consumer");
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var builder = TestServiceHost.CreateBuilder(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults();
        builder.AddServiceDbContext<NotesDbContext>();
        builder.Services.AddSingleton<Deliveries>();
        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<RecordingConsumer>();
            configureBus?.Invoke(bus);
        });
        return builder.Build();
    }

    /// <summary>A bus whose stop never ends, as MassTransit's can while an endpoint is still reconnecting.</summary>
    private sealed class StopNeverEnds : IBusObserver
    {
        public static void Register(IBusRegistrationConfigurator bus) => bus.AddBusObserver<StopNeverEnds>();

        public void PostCreate(IBus bus)
        {
        }

        public void CreateFaulted(Exception exception)
        {
        }

        public Task PreStart(IBus bus) => Task.CompletedTask;

        public Task PostStart(IBus bus, Task<BusReady> busReady) => Task.CompletedTask;

        public Task StartFaulted(IBus bus, Exception exception) => Task.CompletedTask;

        public Task PreStop(IBus bus) => Task.Delay(Timeout.Infinite);

        public Task PostStop(IBus bus) => Task.CompletedTask;

        public Task StopFaulted(IBus bus, Exception exception) => Task.CompletedTask;
    }

    /// <summary>A service that publishes through its outbox and consumes nothing.</summary>
    private static async Task<IHost> StartProducerAsync(string prefix, TestDatabase database)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(Settings(prefix, "producer"));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSQL",
            ["ConnectionStrings:Database"] = database.ConnectionString,
            ["Cache:Provider"] = "Memory",
        });
        builder.Services.AddDbContext<MessagingTestDbContext>((services, options) =>
        {
            database.Configure(options);
            options.AddInterceptors(services.GetServices<IInterceptor>());
        });
        builder.Services.AddOutboxRelay<MessagingTestDbContext>();
        builder.AddMessaging();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<bool> IsPublishedAsync(IHost producer, Guid messageId)
    {
        await using var scope = producer.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MessagingTestDbContext>()
            .Set<OutboxMessage>().AnyAsync(m => m.MessageId == messageId && m.PublishedAt != null);
    }
}
