using Egov.Steering.BuildingBlocks.Tests.Messaging;
using Egov.Steering.Events.V1;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Egov.Steering.TestSupport;

namespace Egov.Steering.BuildingBlocks.Tests.Inbox;

/// <summary>The inbox over the shared RabbitMQ: redeliveries are handled once, versions in order.</summary>
public sealed class InboxConsumerTests
{
    [Fact]
    public async Task AMessageDeliveredTwiceIsHandledOnce()
    {
        var (database, topology, service) = await StartAsync("redelivery", typeof(RecordingConsumer));
        await using var _ = service;
        using var counters = new InboxCounters(topology);
        var envelope = TestEvents.CommitteeUpdated("committees/gia-lai-64", 1);

        await PublishAsync(service, envelope);
        await PublishAsync(service, envelope);

        await Eventually.WaitUntilAsync(() => counters.Duplicates >= 1, "the second delivery acknowledged");
        Assert.Equal([(Guid.Parse(envelope.Id), 1L)], await HandledAsync(database));
    }

    [Fact]
    public async Task AVersionArrivingBeforeItsPredecessorWaitsForItAndAnOldVersionIsNotHandledAgain()
    {
        var (database, topology, service) = await StartAsync("gap", typeof(OrderedRecordingConsumer));
        await using var _ = service;
        using var counters = new InboxCounters(topology);
        var first = TestEvents.CommitteeUpdated("committees/gia-lai-64", 1);
        var second = TestEvents.CommitteeUpdated("committees/gia-lai-64", 2);

        await PublishAsync(service, second);
        await Eventually.WaitUntilAsync(() => counters.Gaps >= 1, "the gap before v2 reported");
        await PublishAsync(service, first);
        await Eventually.WaitUntilAsync(async () => (await HandledAsync(database)).Count == 2, "v1 and v2 handled");

        // Version 1 again under another id (e.g. a republished copy of the event): stale, so skipped.
        await PublishAsync(service, TestEvents.CommitteeUpdated("committees/gia-lai-64", 1));
        await Eventually.WaitUntilAsync(() => counters.Duplicates >= 1, "the stale version acknowledged");

        Assert.Equal([(Guid.Parse(first.Id), 1L), (Guid.Parse(second.Id), 2L)], await HandledAsync(database));
    }

    private static async Task<(TestDatabase, string, MessagingTestHost)> StartAsync(string test, Type consumer)
    {
        var database = await TestDatabase.CreatePostgresAsync();
        var topology = $"inbox-test.{test}.{Guid.NewGuid():N}";
        return (database, topology, await MessagingTestHost.StartAsync(database, TestInfrastructure.RabbitMqUri, topology, relay: false, consumer: consumer));
    }

    private static Task PublishAsync(MessagingTestHost service, EventEnvelope envelope) =>
        service.Services.GetRequiredService<IBus>().Publish(envelope, context => context.MessageId = Guid.Parse(envelope.Id));

    /// <summary>What the handler did, in the order it did it.</summary>
    private static async Task<List<(Guid, long)>> HandledAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var handled = await db.HandledEvents.OrderBy(h => h.Id).ToListAsync();
        return handled.Select(h => (h.MessageId, h.Version)).ToList();
    }
}
