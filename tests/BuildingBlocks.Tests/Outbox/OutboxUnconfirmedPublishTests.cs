using Egov.Steering.BuildingBlocks.Tests.Messaging;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.BuildingBlocks.Tests.Outbox;

/// <summary>
/// The broker stops confirming the publishes of the bus's open connection without closing it (seen on a cluster losing
/// a node: every publish of a service timed out for minutes while its connection and consumers worked): the relay
/// restarts the bus, and everything written is published, confirmed and handled once, in order.
/// </summary>
public sealed class OutboxUnconfirmedPublishTests
{
    private const string Committee = "committees/unconfirmed";

    [Fact]
    public async Task Publishes_left_unconfirmed_on_an_open_connection_are_confirmed_after_the_relay_restarts_the_bus()
    {
        await using var proxy = new ConfirmSilencingAmqpProxy(TestInfrastructure.RabbitMqUri);
        var database = await TestDatabase.CreatePostgresAsync();
        await using var service = await MessagingTestHost.StartAsync(
            database,
            proxy.Address,
            $"outbox-test.unconfirmed.{Guid.NewGuid():N}",
            consumer: typeof(OrderedRecordingConsumer),
            outbox: options => options.PublishTimeout = TimeSpan.FromSeconds(1),
            services: services => services
                .AddBusRecovery(proxy.Address, new MessagingOptions())
                .Configure<MessagingOptions>(options => options.StopTimeout = TimeSpan.FromSeconds(5)));

        await CommitVersionsAsync(service, 1, 3);
        await WaitUntilPublishedAndHandledAsync(database, 3);

        Assert.NotEqual(0, proxy.SilenceConfirms());
        await CommitVersionsAsync(service, 4, 6);
        await WaitUntilPublishedAndHandledAsync(database, 6);

        Assert.True(proxy.DroppedConfirms > 0, "the broker's confirms of the silenced connection were dropped");
        await using var db = database.CreateContext();
        var handled = await db.HandledEvents.OrderBy(h => h.Id).ToListAsync();
        Assert.Equal([1L, 2, 3, 4, 5, 6], handled.Select(h => h.Version));
        Assert.Equal(6, handled.Select(h => h.MessageId).Distinct().Count());
    }

    private static async Task CommitVersionsAsync(MessagingTestHost service, int first, int last)
    {
        for (var version = first; version <= last; version++)
        {
            await using var scope = service.CreateScope(out var db);
            await TestEvents.CommitChangeAsync(db, Committee, version);
        }
    }

    private static Task WaitUntilPublishedAndHandledAsync(TestDatabase database, int count) =>
        Eventually.WaitUntilAsync(
            async () =>
            {
                await using var db = database.CreateContext();
                return await db.Set<OutboxMessage>().CountAsync(m => m.PublishedAt != null) == count
                    && await db.HandledEvents.CountAsync() == count;
            },
            $"{count} events published (confirmed) and handled");
}
