using Egov.Steering.BuildingBlocks.Tests.Messaging;
using Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;
using Egov.Steering.Messaging.Outbox;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Egov.Steering.TestSupport;

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
                // The relay marks a row published after the broker's confirm, which may come after the consumer's commit.
                return await db.HandledEvents.CountAsync() >= written.Count && counters.Duplicates >= 1
                    && !await db.Set<OutboxMessage>().AnyAsync(m => m.PublishedAt == null);
            },
            "every event handled, the copy skipped and every row marked published");

        await using var check = database.CreateContext();
        var handled = await check.HandledEvents.OrderBy(h => h.Id).ToListAsync();
        Assert.Equal(written.Select(e => Guid.Parse(e.Id)).Order(), handled.Select(h => h.MessageId).Order());
        Assert.All(
            handled.GroupBy(h => h.Aggregate),
            committee => Assert.Equal(Enumerable.Range(1, VersionsEach).Select(v => (long)v), committee.Select(h => h.Version)));
    }

    [Fact]
    public async Task A_locked_database_is_retried_quietly_and_reported_once()
    {
        var created = await TestDatabase.CreateSqliteAsync();
        // Each statement waits at most 1 s for the lock, so the relay meets "database is locked" again and again.
        var database = created with { ConnectionString = created.ConnectionString + ";Default Timeout=1" };
        var logs = new CapturedLogs();
        var topology = $"outbox-test.sqlite-locked.{Guid.NewGuid():N}";
        await using var service = await MessagingTestHost.StartAsync(
            database,
            TestInfrastructure.RabbitMqUri,
            topology,
            consumer: typeof(OrderedRecordingConsumer),
            outbox: options =>
            {
                options.PollInterval = TimeSpan.FromMilliseconds(100);
                options.PurgeInterval = TimeSpan.Zero; // every pass writes (purges), so every pass meets the lock
                options.LockedWarningAfter = TimeSpan.FromSeconds(1);
            },
            logs: logs);

        await using (var writer = new SqliteConnection(created.ConnectionString))
        {
            await writer.OpenAsync();
            await using var exclusive = writer.CreateCommand();
            exclusive.CommandText = "BEGIN EXCLUSIVE";
            await exclusive.ExecuteNonQueryAsync();
            await Eventually.WaitUntilAsync(() => Relay(logs).Any(e => e.Level == LogLevel.Warning), "the long lock is reported");
            await Task.Delay(TimeSpan.FromSeconds(1)); // the lock lasts on: no second report
            exclusive.CommandText = "COMMIT";
            await exclusive.ExecuteNonQueryAsync();
        }

        await using (var scope = service.CreateScope(out var db))
        {
            await TestEvents.CommitChangeAsync(db, "committees/after-the-lock", 1);
        }

        await Eventually.WaitUntilAsync(database.AllPublishedAsync, "the relay publishes once the lock is gone");
        var relay = Relay(logs);
        Assert.True(relay.Count(e => e.Level == LogLevel.Debug) > 1, "every locked pass is logged at debug");
        Assert.Single(relay, e => e.Level == LogLevel.Warning);
        Assert.DoesNotContain(relay, e => e.Level >= LogLevel.Error);
        Assert.All(relay.Where(e => e.Level > LogLevel.Debug), e => Assert.Null(e.Exception));
    }

    [Fact]
    public async Task A_pass_that_met_the_lock_is_retried_without_waiting_for_a_wake_up()
    {
        var created = await TestDatabase.CreateSqliteAsync();
        var database = created with { ConnectionString = created.ConnectionString + ";Default Timeout=1" };
        var topology = $"outbox-test.sqlite-retry.{Guid.NewGuid():N}";
        await using var service = await MessagingTestHost.StartAsync(
            database,
            TestInfrastructure.RabbitMqUri,
            topology,
            consumer: typeof(OrderedRecordingConsumer),
            outbox: options => options.PollInterval = TimeSpan.FromHours(1)); // no fallback poll within the test

        // The event commits and wakes the relay; another writer takes the database at once and holds it for longer
        // than the relay waits for it, then commits without writing any event (so without a wake-up).
        Events.V1.EventEnvelope written;
        await using (var writer = new SqliteConnection(created.ConnectionString))
        {
            await writer.OpenAsync();
            await using var hold = writer.CreateCommand();
            await using (var scope = service.CreateScope(out var db))
            {
                written = await TestEvents.CommitChangeAsync(db, "committees/while-locked", 1);
                hold.CommandText = "BEGIN IMMEDIATE";
                await hold.ExecuteNonQueryAsync();
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
            hold.CommandText = "COMMIT";
            await hold.ExecuteNonQueryAsync();
        }

        await database.PublishedAtAsync(Guid.Parse(written.Id), "the event marked published once the lock is gone, without another commit's wake-up");
    }

    private static List<LogEntry> Relay(CapturedLogs logs) =>
        [.. logs.Entries.Where(e => e.Message.Contains("outbox relay", StringComparison.OrdinalIgnoreCase))];
}
