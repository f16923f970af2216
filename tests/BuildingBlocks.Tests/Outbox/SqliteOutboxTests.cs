using Egov.Steering.BuildingBlocks.Tests.Infrastructure;
using Egov.Steering.BuildingBlocks.Tests.Messaging;
using Egov.Steering.Messaging.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.BuildingBlocks.Tests.Outbox;

/// <summary>The embedded storage: outbox and inbox on one SQLite file, single instance.</summary>
public sealed class SqliteOutboxTests
{
    private const int Committees = 5;
    private const int VersionsEach = 10;

    [Fact]
    public async Task OutboxAndInboxWorkOnASqliteFile()
    {
        var database = await TestDatabase.CreateSqliteAsync();
        var topology = $"outbox-test.sqlite.{Guid.NewGuid():N}";
        await using var service = await MessagingTestHost.StartAsync(
            database, TestInfrastructure.RabbitMqUri, topology, consumer: typeof(OrderedRecordingConsumer));

        await using (var scope = service.CreateScope(out var db))
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.AddOutboxEvent(TestEvents.CommitteeUpdated("committees/rolled-back", 1));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        var written = new List<Events.V1.EventEnvelope>();
        for (var version = 1; version <= VersionsEach; version++)
        {
            for (var committee = 0; committee < Committees; committee++)
            {
                await using var scope = service.CreateScope(out var db);
                written.Add(await TestEvents.CommitChangeAsync(db, $"committees/sqlite-{committee}", version));
            }
        }

        // A redelivered copy of an event already handled.
        using var counters = new InboxCounters(topology);
        var copy = written[0];
        await service.Services.GetRequiredService<IBus>().Publish(copy, context => context.MessageId = Guid.Parse(copy.Id));

        await Eventually.WaitUntilAsync(
            async () =>
            {
                await using var db = database.CreateContext();
                return await db.HandledEvents.CountAsync() >= written.Count && counters.Duplicates >= 1;
            },
            "every event handled and the copy skipped");

        await using var check = database.CreateContext();
        var handled = await check.HandledEvents.OrderBy(h => h.Id).ToListAsync();
        Assert.Equal(written.Select(e => Guid.Parse(e.Id)).Order(), handled.Select(h => h.MessageId).Order());
        Assert.All(
            handled.GroupBy(h => h.Aggregate),
            committee => Assert.Equal(Enumerable.Range(1, VersionsEach).Select(v => (long)v), committee.Select(h => h.Version)));
        Assert.False(await check.Set<OutboxMessage>().AnyAsync(m => m.PublishedAt == null));
    }
}
