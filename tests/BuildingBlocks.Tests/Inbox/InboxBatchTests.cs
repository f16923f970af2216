using Egov.Steering.BuildingBlocks.Tests.Messaging;
using Egov.Steering.Events.V1;
using Egov.Steering.Messaging.Inbox;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Egov.Steering.TestSupport;

namespace Egov.Steering.BuildingBlocks.Tests.Inbox;

/// <summary>
/// Messages handled together (a key's queue, <see cref="InboxConsumer{TContext,TMessage}.ConsumeAllAsync"/>) on the
/// real PostgreSQL: one transaction, and exactly what handling them one after another would do. No sweep runs: what is
/// handled when the consumer returns, it handled itself.
/// </summary>
public sealed class InboxBatchTests
{
    private const string Committee = "committees/gia-lai-64";

    [Fact]
    public async Task Queued_versions_are_handled_in_one_transaction_in_order_and_a_copy_among_them_once()
    {
        var commits = new Commits();
        var (database, host) = await StartAsync(typeof(OrderedRecordingConsumer), services => services.AddSingleton<IInterceptor>(commits));
        await using var _ = host;
        var versions = Enumerable.Range(1, 4).Select(v => TestEvents.CommitteeUpdated(Committee, v)).ToList();

        var outcomes = await ConsumeAllAsync<OrderedRecordingConsumer>(host, versions[0], versions[1], versions[1], versions[2], versions[3]);

        Assert.All(outcomes, Assert.Null);
        Assert.Equal(versions.Select(v => (Guid.Parse(v.Id), v.AggregateVersion)), await database.HandledAsync());
        Assert.Equal(1, commits.Count);
    }

    [Fact]
    public async Task A_version_ahead_of_its_predecessor_in_the_queue_waits_for_it_and_goes_once_it_is_handled()
    {
        var (database, host) = await StartAsync(typeof(OrderedRecordingConsumer));
        await using var _ = host;
        var versions = Enumerable.Range(1, 3).Select(v => TestEvents.CommitteeUpdated(Committee, v)).ToList();

        var outcomes = await ConsumeAllAsync<OrderedRecordingConsumer>(host, versions[1], versions[0], versions[2]);

        Assert.All(outcomes, Assert.Null);
        Assert.Equal(versions.Select(v => (Guid.Parse(v.Id), v.AggregateVersion)), await database.HandledAsync());
        await using var db = database.CreateContext();
        Assert.Empty(await db.Set<InboxParkedMessage>().ToListAsync());
    }

    [Fact]
    public async Task A_message_that_cannot_be_handled_fails_alone_and_the_others_are_handled()
    {
        var (database, host) = await StartAsync(typeof(PoisonableConsumer));
        await using var _ = host;
        var messages = new[] { "committees/a", "committees/b", "committees/c" }.Select(aggregate => TestEvents.CommitteeUpdated(aggregate, 1)).ToList();
        var poisoned = host.Services.GetRequiredService<PoisonedMessages>();
        poisoned.Ids[Guid.Parse(messages[1].Id)] = true;

        var outcomes = await ConsumeAllAsync<PoisonableConsumer>(host, [.. messages]);

        Assert.Null(outcomes[0]);
        Assert.IsType<InvalidOperationException>(outcomes[1]);
        Assert.Null(outcomes[2]);
        Assert.Equal([(Guid.Parse(messages[0].Id), 1L), (Guid.Parse(messages[2].Id), 1L)], await database.HandledAsync());
        // Tried in the batch, which failed whole, then on its own.
        Assert.Equal(2, poisoned.Attempts[Guid.Parse(messages[1].Id)]);
    }

    private static async Task<IReadOnlyList<Exception?>> ConsumeAllAsync<TConsumer>(MessagingTestHost host, params EventEnvelope[] messages)
        where TConsumer : InboxConsumer<MessagingTestDbContext, EventEnvelope>
    {
        await using var scope = host.Services.CreateAsyncScope();
        var consumer = scope.ServiceProvider.GetRequiredService<TConsumer>();
        return await consumer.ConsumeAllAsync([.. messages.Select(m => (Guid.Parse(m.Id), m))], CancellationToken.None);
    }

    private static async Task<(TestDatabase, MessagingTestHost)> StartAsync(Type consumer, Action<IServiceCollection>? services = null)
    {
        var database = await TestDatabase.CreatePostgresAsync();
        var topology = $"inbox-batch-test.{Guid.NewGuid():N}";
        return (database, await MessagingTestHost.StartAsync(
            database, TestInfrastructure.RabbitMqUri, topology, relay: false, consumer: consumer, services: services, sweeps: false));
    }


    /// <summary>The transactions the host's contexts committed.</summary>
    private sealed class Commits : DbTransactionInterceptor
    {
        private int count;

        public int Count => Volatile.Read(ref count);

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref count);
            return Task.CompletedTask;
        }
    }
}
