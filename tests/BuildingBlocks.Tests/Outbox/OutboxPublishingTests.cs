using Egov.Steering.BuildingBlocks.Tests.Infrastructure;
using Egov.Steering.BuildingBlocks.Tests.Messaging;
using Egov.Steering.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.BuildingBlocks.Tests.Outbox;

/// <summary>The outbox on PostgreSQL and the shared RabbitMQ: events leave with their transaction, never without it.</summary>
public sealed class OutboxPublishingTests
{
    [Fact]
    public async Task AnEventIsPublishedOnlyAfterItsTransactionCommitsAndNeverWhenItRollsBack()
    {
        var database = await TestDatabase.CreatePostgresAsync();
        var topology = $"outbox-test.commit.{Guid.NewGuid():N}";
        await using var service = await MessagingTestHost.StartAsync(
            database, TestInfrastructure.RabbitMqUri, topology, consumer: typeof(RecordingConsumer));

        await using var rollbackScope = service.CreateScope(out var rollbackDb);
        var rolledBack = TestEvents.CommitteeUpdated("committees/gia-lai-64", 1);
        await using (var transaction = await rollbackDb.Database.BeginTransactionAsync())
        {
            rollbackDb.CommitteeChanges.Add(new CommitteeChange { Committee = "committees/gia-lai-64", Version = 1 });
            rollbackDb.AddOutboxEvent(rolledBack);
            await rollbackDb.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        await using var openScope = service.CreateScope(out var openDb);
        var open = TestEvents.CommitteeUpdated("committees/gia-lai-64", 1);
        var openTransaction = await openDb.Database.BeginTransactionAsync();
        openDb.CommitteeChanges.Add(new CommitteeChange { Committee = "committees/gia-lai-64", Version = 1 });
        openDb.AddOutboxEvent(open);
        await openDb.SaveChangesAsync();

        // Another committee's event committed meanwhile is published: the relay ran while the first was open.
        await using var otherScope = service.CreateScope(out var otherDb);
        var other = await TestEvents.CommitChangeAsync(otherDb, "committees/kon-tum-62", 1);
        await WaitUntilHandledAsync(database, other);
        Assert.DoesNotContain(Guid.Parse(open.Id), await HandledIdsAsync(database));

        await openTransaction.CommitAsync();
        await openTransaction.DisposeAsync();
        await WaitUntilHandledAsync(database, open);

        Assert.Equal(
            new[] { Guid.Parse(other.Id), Guid.Parse(open.Id) }.Order(),
            (await HandledIdsAsync(database)).Order());
        await using var db = database.CreateContext();
        Assert.False(await db.Set<OutboxMessage>().AnyAsync(m => m.MessageId == Guid.Parse(rolledBack.Id)));
    }

    private static Task WaitUntilHandledAsync(TestDatabase database, Events.V1.EventEnvelope envelope) =>
        Eventually.WaitUntilAsync(
            async () => (await HandledIdsAsync(database)).Contains(Guid.Parse(envelope.Id)),
            $"{envelope.Aggregate} v{envelope.AggregateVersion} handled");

    private static async Task<List<Guid>> HandledIdsAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.HandledEvents.Select(h => h.MessageId).ToListAsync();
    }
}
