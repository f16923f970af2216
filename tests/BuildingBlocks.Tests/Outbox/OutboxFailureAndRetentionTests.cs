using System.Data.Common;
using Egov.Steering.BuildingBlocks.Tests.Messaging;
using Egov.Steering.Messaging.Inbox;
using Egov.Steering.Messaging.Outbox;
using Google.Protobuf.WellKnownTypes;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Egov.Steering.TestSupport;

namespace Egov.Steering.BuildingBlocks.Tests.Outbox;

public sealed class OutboxFailureAndRetentionTests
{
    [Fact]
    public async Task ARowThatCannotBePublishedHoldsBackItsOwnAggregateOnly()
    {
        var database = await TestDatabase.CreatePostgresAsync();
        var topology = $"outbox-test.blocked.{Guid.NewGuid():N}";
        await using var service = await MessagingTestHost.StartAsync(
            database, TestInfrastructure.RabbitMqUri, topology, consumer: typeof(RecordingConsumer));

        // Version 1 of Gia Lai is a message type the bus does not know: publishing it fails on every attempt.
        await using (var scope = service.CreateScope(out var db))
        {
            db.AddOutboxMessage(new Duration { Seconds = 1 }, new OutboxRouting("committees/gia-lai-64", 1));
            await db.SaveChangesAsync();
        }

        Guid blockedLater, other;
        await using (var scope = service.CreateScope(out var db))
        {
            blockedLater = Guid.Parse((await TestEvents.CommitChangeAsync(db, "committees/gia-lai-64", 2)).Id);
            other = Guid.Parse((await TestEvents.CommitChangeAsync(db, "committees/kon-tum-62", 1)).Id);
        }

        await Eventually.WaitUntilAsync(async () => (await HandledIdsAsync(database)).Contains(other), "the other committee's event handled");
        await Eventually.WaitUntilAsync(
            async () =>
            {
                await using var db = database.CreateContext();
                return await db.Set<OutboxMessage>().AnyAsync(m => m.Aggregate == "committees/gia-lai-64" && m.AggregateVersion == 1 && m.Attempts > 0);
            },
            "the poisoned row attempted (partitions are relayed in parallel, in no fixed order)");
        DateTime removedAt;
        await using (var db = database.CreateContext())
        {
            var failing = await db.Set<OutboxMessage>().SingleAsync(m => m.Aggregate == "committees/gia-lai-64" && m.AggregateVersion == 1);
            Assert.True(failing.Attempts >= 1);
            Assert.Contains("not registered", failing.LastError);
            Assert.DoesNotContain(blockedLater, await HandledIdsAsync(database));
            Assert.Null((await db.Set<OutboxMessage>().SingleAsync(m => m.MessageId == blockedLater)).PublishedAt);

            // An operator removes the poisoned row: the aggregate's later events flow again, only from then on.
            removedAt = DateTime.UtcNow;
            db.Remove(failing);
            await db.SaveChangesAsync();
        }

        await Eventually.WaitUntilAsync(async () => (await HandledIdsAsync(database)).Contains(blockedLater), "the held-back event handled");
        // The consumer can handle the event before the relay commits its mark: wait for the mark, then date it.
        var publishedAt = await database.PublishedAtAsync(blockedLater, "the held-back row marked published");
        Assert.True(publishedAt > removedAt, $"published at {publishedAt:O}, removed at {removedAt:O}");
    }

    [Fact]
    public async Task ARowRemovedWhileTheRelayPublishesItsBatchIsRemovedOnceThePassHasMarkedTheOthers()
    {
        var database = await TestDatabase.CreatePostgresAsync();
        var topology = $"outbox-test.removed.{Guid.NewGuid():N}";
        var first = TestEvents.CommitteeUpdated("committees/gia-lai-64", 1);
        var second = TestEvents.CommitteeUpdated("committees/gia-lai-64", 2);
        var removal = new RemoveRowBeforeTheMarks(database, Guid.Parse(first.Id));
        await using var service = await MessagingTestHost.StartAsync(
            database, TestInfrastructure.RabbitMqUri, topology, consumer: typeof(RecordingConsumer),
            services: s => s.AddSingleton<IInterceptor>(removal));
        var publications = new PublicationLog();
        using var observing = service.Services.GetRequiredService<IBus>().ConnectPublishObserver(publications);

        // One transaction: the relay's pass reads both rows as one batch.
        await using (var scope = service.CreateScope(out var db))
        {
            db.AddOutboxEvent(first);
            db.AddOutboxEvent(second);
            await db.SaveChangesAsync();
        }

        var secondId = Guid.Parse(second.Id);
        await database.PublishedAtAsync(secondId, "the second row marked published");
        // The pass holds the rows it read: an operator's delete waits for its commit instead of racing its marks.
        Assert.Equal(1, await removal.RemovedAsync());
        Assert.False(removal.RemovedBeforeTheMarks);
        await using var check = database.CreateContext();
        Assert.False(await check.Set<OutboxMessage>().AnyAsync(m => m.MessageId == Guid.Parse(first.Id)));
        Assert.Equal(1, publications.Of(secondId)); // marked in the pass that published it, not sent again
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PublishedRowsAndHandledIdsArePurgedAfterTheRetention(bool sqlite)
    {
        var database = sqlite ? await TestDatabase.CreateSqliteAsync() : await TestDatabase.CreatePostgresAsync();
        var topology = $"outbox-test.purge.{Guid.NewGuid():N}";
        await using var service = await MessagingTestHost.StartAsync(
            database, TestInfrastructure.RabbitMqUri, topology, consumer: typeof(RecordingConsumer), outbox: options =>
            {
                options.Retention = TimeSpan.FromMilliseconds(1);
                options.PurgeInterval = TimeSpan.FromMilliseconds(100);
                options.PurgeBatchSize = 2;
            });

        await using (var scope = service.CreateScope(out var db))
        {
            for (var version = 1; version <= 5; version++)
            {
                await TestEvents.CommitChangeAsync(db, "committees/gia-lai-64", version);
            }
        }

        await Eventually.WaitUntilAsync(async () => (await HandledIdsAsync(database)).Count == 5, "all five events handled");
        await Eventually.WaitUntilAsync(
            async () =>
            {
                await using var db = database.CreateContext();
                return !await db.Set<OutboxMessage>().AnyAsync() && !await db.Set<InboxMessage>().AnyAsync();
            },
            "outbox rows and inbox ids purged");
        await using var check = database.CreateContext();
        Assert.Equal(5, await check.CommitteeChanges.CountAsync());
    }

    private static async Task<List<Guid>> HandledIdsAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.HandledEvents.Select(h => h.MessageId).ToListAsync();
    }

    /// <summary>Deletes one outbox row, through another connection, just before the relay's statement marking its pass published.</summary>
    /// <summary>
    /// As the relay is about to mark its pass, an operator deletes one of the pass's rows on another connection; the
    /// delete is started, given a moment, and left to finish on its own while the pass goes on.
    /// </summary>
    private sealed class RemoveRowBeforeTheMarks(TestDatabase database, Guid messageId) : BeforeEachCommand
    {
        private readonly TaskCompletionSource<Task<int>> _removal = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool RemovedBeforeTheMarks { get; private set; }

        public async Task<int> RemovedAsync() => await await _removal.Task.WaitAsync(TimeSpan.FromMinutes(1));

        protected override async Task BeforeAsync(DbCommand command)
        {
            var marking = command.CommandText.StartsWith("UPDATE outbox_messages", StringComparison.Ordinal)
                && command.CommandText.Contains("published_at", StringComparison.Ordinal);
            if (marking && !_removal.Task.IsCompleted)
            {
                var removing = RemoveAsync();
                _removal.SetResult(removing);
                await Task.WhenAny(removing, Task.Delay(TimeSpan.FromMilliseconds(500)));
                RemovedBeforeTheMarks = removing.IsCompleted;
            }
        }

        private async Task<int> RemoveAsync()
        {
            await using var other = database.CreateContext();
            return await other.Set<OutboxMessage>().Where(m => m.MessageId == messageId).ExecuteDeleteAsync();
        }
    }
}
