using Egov.Steering.BuildingBlocks.Tests.Messaging;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using Egov.Steering.TestSupport;

namespace Egov.Steering.BuildingBlocks.Tests.Outbox;

/// <summary>
/// A broker outage in the middle of a stream of writes loses nothing and doubles nothing: the relay retries what
/// the broker did not confirm, and the inbox absorbs what was published twice. Uses a broker of its own.
/// </summary>
public sealed class OutboxBrokerRestartTests(ITestOutputHelper output)
{
    private const int Committees = 50;
    private const int VersionsEach = 20;

    [Fact]
    public async Task EveryEventWrittenAcrossABrokerRestartArrivesOnceAndInOrder()
    {
        var privateBroker = new PrivateBroker("outbox-restart", TestInfrastructure.FreeRabbitMqPort());
        await privateBroker.StartAsync();
        try
        {
            var database = await TestDatabase.CreatePostgresAsync();
            var topology = $"outbox-test.restart.{Guid.NewGuid():N}";
            var broker = privateBroker.Uri;
            // With the services' bus recovery: a broker that is down confirms no probe, so the outage restarts nothing.
            await using var service = await MessagingTestHost.StartAsync(
                database, broker, topology, consumer: typeof(OrderedRecordingConsumer), services: services => services.AddBusRecovery(broker, new MessagingOptions()));

            using var counters = new InboxCounters(topology);
            var written = 0;
            var writer = Task.Run(async () =>
            {
                for (var version = 1; version <= VersionsEach; version++)
                {
                    for (var committee = 0; committee < Committees; committee++)
                    {
                        await using var scope = service.CreateScope(out var db);
                        await TestEvents.CommitChangeAsync(db, $"committees/restart-{committee}", version);
                        Interlocked.Increment(ref written);
                    }
                }
            });

            await Eventually.WaitUntilAsync(() => Volatile.Read(ref written) >= 200, "200 events written");
            await privateBroker.StopAsync();
            await Eventually.WaitUntilAsync(() => Volatile.Read(ref written) >= 600 || writer.IsCompleted, "writes while the broker is down");
            await privateBroker.StartAsync();
            await writer;

            const int total = Committees * VersionsEach;
            try
            {
                await Eventually.WaitUntilAsync(
                    async () =>
                    {
                        await using var db = database.CreateContext();
                        return await db.HandledEvents.CountAsync() >= total;
                    },
                    $"{total} events handled");
            }
            catch (TimeoutException)
            {
                // Which side stopped: the relay (rows unpublished, and why) or the consumers (published, not handled).
                await using var db = database.CreateContext();
                var unpublished = await db.Set<OutboxMessage>().Where(m => m.PublishedAt == null).ToListAsync();
                output.WriteLine($"handled {await db.HandledEvents.CountAsync()} of {total}; unpublished {unpublished.Count}");
                foreach (var error in unpublished.GroupBy(m => m.LastError).Take(5))
                {
                    output.WriteLine($"  {error.Count()} rows, attempts up to {error.Max(m => m.Attempts)}, next at {error.Max(m => m.NextAttemptAt):o}: {error.Key}");
                }

                throw;
            }

            output.WriteLine($"inbox: {counters.Duplicates} duplicate deliveries skipped, {counters.Gaps} early versions retried");
            await using var check = database.CreateContext();
            var handled = await check.HandledEvents.OrderBy(h => h.Id).ToListAsync();
            Assert.Equal(total, handled.Count);
            Assert.Equal(total, handled.Select(h => h.MessageId).Distinct().Count());
            Assert.Equal(
                await check.Set<OutboxMessage>().Select(m => m.MessageId).OrderBy(id => id).ToListAsync(),
                handled.Select(h => h.MessageId).Order());
            Assert.All(
                handled.GroupBy(h => h.Aggregate),
                committee => Assert.Equal(Enumerable.Range(1, VersionsEach).Select(v => (long)v), committee.Select(h => h.Version)));
        }
        finally
        {
            await privateBroker.StopAsync();
        }
    }
}
