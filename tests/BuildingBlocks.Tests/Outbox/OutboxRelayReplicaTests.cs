using Egov.Steering.BuildingBlocks.Tests.Messaging;
using Egov.Steering.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Egov.Steering.TestSupport;

namespace Egov.Steering.BuildingBlocks.Tests.Outbox;

/// <summary>Two replicas relay one database: every row goes out once, each aggregate in version order.</summary>
public sealed class OutboxRelayReplicaTests
{
    private const int Committees = 40;
    private const int VersionsEach = 25;

    [Fact]
    public async Task TwoRelaysNeverPublishARowTwiceAndKeepEachAggregatesOrder()
    {
        var database = await TestDatabase.CreatePostgresAsync();
        var topology = $"outbox-test.replicas.{Guid.NewGuid():N}";
        var broker = TestInfrastructure.RabbitMqUri;

        // One consumer taking one message at a time records exactly the order the broker received them in.
        await using var consumer = await MessagingTestHost.StartAsync(
            database, broker, topology, relay: false, consumer: typeof(DeliveryLogConsumer), concurrentMessageLimit: 1);
        var deliveries = consumer.Services.GetRequiredService<DeliveryLog>().Deliveries;

        // Small batches make the two relays take turns on the partitions all along.
        await using var replicaA = await MessagingTestHost.StartAsync(database, broker, topology, outbox: o => o.BatchSize = 5);
        await using var replicaB = await MessagingTestHost.StartAsync(database, broker, topology, outbox: o => o.BatchSize = 5);
        MessagingTestHost[] replicas = [replicaA, replicaB];

        // Four writers, each owning some committees and writing through both replicas in turn.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (var version = 1; version <= VersionsEach; version++)
            {
                for (var committee = writer; committee < Committees; committee += 4)
                {
                    await using var scope = replicas[(version + committee) % 2].CreateScope(out var db);
                    await TestEvents.CommitChangeAsync(db, $"committees/replica-{committee}", version);
                }
            }
        })));

        await Eventually.WaitUntilAsync(() => deliveries.Count >= Committees * VersionsEach, "every event delivered");
        await Eventually.WaitUntilAsync(database.AllPublishedAsync, "every row marked published");

        // Published after every other row: once it is in, any second copy of a row would be in too.
        await using (var scope = replicaA.CreateScope(out var db))
        {
            await TestEvents.CommitChangeAsync(db, "committees/replica-last", 1);
        }

        await Eventually.WaitUntilAsync(() => deliveries.Any(d => d.Aggregate == "committees/replica-last"), "the last event delivered");

        var delivered = deliveries.Where(d => d.Aggregate != "committees/replica-last").ToList();
        Assert.Equal(Committees * VersionsEach, delivered.Count);
        Assert.Equal(delivered.Count, delivered.Select(d => d.MessageId).Distinct().Count());
        Assert.All(
            delivered.GroupBy(d => d.Aggregate),
            committee => Assert.Equal(Enumerable.Range(1, VersionsEach).Select(v => (long)v), committee.Select(d => d.Version)));
    }
}
