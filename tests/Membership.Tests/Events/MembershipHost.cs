using System.Collections.Concurrent;
using Egov.Steering.Events.V1;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Events;
using Egov.Steering.Membership.Views;
using Egov.Steering.Messaging;
using Egov.Steering.Storage;
using Egov.Steering.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;

namespace Egov.Steering.Membership.Tests.Events;

/// <summary>
/// One Membership replica as the service wires its events and views (AddMessaging with the Membership consumers,
/// AddMembershipEvents, the service cache) on the real PostgreSQL (a fresh migrated and seeded database), RabbitMQ
/// (queues of its own, deleted afterwards) and Redis (keys of its own). Every event on the bus is recorded.
/// </summary>
internal sealed class MembershipHost : IAsyncDisposable
{
    private readonly IHost host;
    private readonly ConcurrentBag<string> queues;

    private MembershipHost(IHost host, ConcurrentBag<string> queues)
    {
        this.host = host;
        this.queues = queues;
    }

    public IServiceProvider Services => host.Services;

    public RecordedEvents Events => host.Services.GetRequiredService<RecordedEvents>();

    /// <summary>Starts the replica; <paramref name="clock"/> moves the register's date (not the bus's or the outbox's).</summary>
    public static async Task<MembershipHost> StartAsync(TimeProvider? clock = null)
    {
        var isolation = "test-" + Guid.NewGuid().ToString("N")[..12];
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSQL",
            ["ConnectionStrings:Database"] = await TestInfrastructure.CreateDatabaseAsync("membership"),
            ["Bus:Transport"] = "RabbitMQ",
            ["ConnectionStrings:RabbitMQ"] = TestInfrastructure.RabbitMqUri.ToString(),
            ["Cache:Provider"] = "Redis",
            ["ConnectionStrings:Redis"] = TestInfrastructure.RedisConfiguration,
            ["Messaging:EndpointPrefix"] = isolation,
            ["Messaging:TopologyPrefix"] = isolation,
            ["Messaging:RetryMinInterval"] = "00:00:00.050",
            ["Messaging:RetryMaxInterval"] = "00:00:00.500",
            ["Views:KeyPrefix"] = $"test:views:{Guid.NewGuid():N}:",
            ["Outbox:MaxRetryDelay"] = "00:00:02",
        });
        builder.AddServiceDbContext<MembershipDbContext>();
        builder.Services.AddScoped<RegisterStore>();
        var queues = new ConcurrentBag<string>();
        builder.AddMessaging(bus =>
        {
            bus.AddConfigureEndpointsCallback((_, queue, _) => queues.Add(queue));
            Extensions.MembershipModule().AddConsumers(bus);
            bus.AddConsumer<EventRecorder>();
        });
        if (clock is not null)
        {
            builder.Services.AddSingleton(new MembershipClock(clock));
        }

        builder.AddMembershipEvents();
        builder.Services.AddSingleton<RecordedEvents>();
        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
        var host = builder.Build();

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
            await db.Database.MigrateAsync();
            await MembershipSeeder.SeedAsync(db);
        }

        await host.StartAsync();
        return new MembershipHost(host, queues);
    }

    /// <summary>Publishes an event as Decisions' outbox relay would, under the message id of its CloudEvents id.</summary>
    public Task PublishAsync(EventEnvelope envelope) =>
        Services.GetRequiredService<IBus>().Publish(envelope, context => context.MessageId = Guid.Parse(envelope.Id));

    /// <summary>A unit of work of this replica, as one request gets.</summary>
    public AsyncServiceScope Scope(out MembershipDbContext db)
    {
        var scope = Services.CreateAsyncScope();
        db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
        return scope;
    }

    public async Task<T> ReadViewAsync<T>(Func<CommitteeViews, Task<T>> read)
    {
        await using var scope = Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<CommitteeViews>());
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();

        // Durable queues left bound to the shared event exchange would collect every later test's events.
        var factory = new ConnectionFactory { Uri = TestInfrastructure.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var name in queues.SelectMany(queue => new[] { queue, queue + "_error", queue + "_skipped" }))
        {
            await channel.QueueDeleteAsync(name);
            await channel.ExchangeDeleteAsync(name);
        }
    }
}

/// <summary>Every event this replica's bus delivered (other tests publish on the same exchange: filter by correlation).</summary>
internal sealed class RecordedEvents
{
    private readonly ConcurrentQueue<EventEnvelope> events = new();

    public void Add(EventEnvelope envelope) => events.Enqueue(envelope);

    public IReadOnlyList<EventEnvelope> CausedBy(EventEnvelope cause) =>
        [.. events.Where(e => e.CausationId == cause.Id).DistinctBy(e => e.Id)];

    public IReadOnlyList<EventEnvelope> Of(string correlationId) =>
        [.. events.Where(e => e.CorrelationId == correlationId).DistinctBy(e => e.Id)];

    public IReadOnlyList<EventEnvelope> All => [.. events];
}

internal sealed class EventRecorder(RecordedEvents recorded) : IConsumer<EventEnvelope>
{
    public Task Consume(ConsumeContext<EventEnvelope> context)
    {
        recorded.Add(context.Message);
        return Task.CompletedTask;
    }
}
