using System.Diagnostics.Metrics;
using Egov.Steering.BuildingBlocks.Tests.Messaging;
using TestBus = Egov.Steering.BuildingBlocks.Tests.Messaging.Bus.TestBus;
using Egov.Steering.Events.V1;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Inbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
        Assert.Equal([(Guid.Parse(envelope.Id), 1L)], await database.HandledAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AVersionArrivingBeforeItsPredecessorWaitsForItAndAnOldVersionIsNotHandledAgain(bool sqlite)
    {
        var (database, topology, service) = await StartAsync("gap", typeof(OrderedRecordingConsumer), sqlite: sqlite);
        await using var _ = service;
        using var counters = new InboxCounters(topology);
        var first = TestEvents.CommitteeUpdated("committees/gia-lai-64", 1);
        var second = TestEvents.CommitteeUpdated("committees/gia-lai-64", 2);

        await PublishAsync(service, second);
        await Eventually.WaitUntilAsync(() => counters.Gaps >= 1, "the gap before v2 reported");
        await PublishAsync(service, first);
        await Eventually.WaitUntilAsync(async () => (await database.HandledAsync()).Count == 2, "v1 and v2 handled");

        // Version 1 again under another id (e.g. a republished copy of the event): stale, so skipped.
        await PublishAsync(service, TestEvents.CommitteeUpdated("committees/gia-lai-64", 1));
        await Eventually.WaitUntilAsync(() => counters.Duplicates >= 1, "the stale version acknowledged");

        Assert.Equal([(Guid.Parse(first.Id), 1L), (Guid.Parse(second.Id), 2L)], await database.HandledAsync());
    }

    [Fact]
    public async Task VersionsAheadOfTheirPredecessorLeaveTheOnlyDeliverySlotToIt()
    {
        // One slot, and versions 5, 4, 3, 2 queued before 1: waiting in the slot, each would keep 1 out.
        var (database, topology, service) = await StartAsync("one-slot", typeof(OrderedRecordingConsumer), concurrentMessageLimit: 1);
        await using var _ = service;
        var versions = Enumerable.Range(1, 5).Select(v => TestEvents.CommitteeUpdated("committees/gia-lai-64", v)).ToList();

        foreach (var envelope in Enumerable.Reverse(versions))
        {
            await PublishAsync(service, envelope);
        }

        await Eventually.WaitUntilAsync(async () => (await database.HandledAsync()).Count == versions.Count, "every version handled");
        Assert.Equal(versions.Select(v => (Guid.Parse(v.Id), v.AggregateVersion)), await database.HandledAsync());
        await using var db = database.CreateContext();
        Assert.Empty(await db.Set<InboxParkedMessage>().ToListAsync());
    }

    [Fact]
    public async Task TwoReplicasHandleAShuffledStreamInOrderWithoutLosingAParkedVersion()
    {
        // A version parks while another replica is committing its predecessor: the park must not miss that release.
        var (database, topology, first) = await StartAsync("replicas", typeof(OrderedRecordingConsumer), concurrentMessageLimit: 2);
        await using var _ = first;
        await using var second = await MessagingTestHost.StartAsync(
            database, TestInfrastructure.RabbitMqUri, topology, relay: false, consumer: typeof(OrderedRecordingConsumer), concurrentMessageLimit: 2);
        var versions = Enumerable.Range(1, 40).Select(v => TestEvents.CommitteeUpdated("committees/gia-lai-64", v)).ToList();

        foreach (var envelope in versions.OrderBy(_ => Random.Shared.Next()))
        {
            await PublishAsync(first, envelope);
        }

        await Eventually.WaitUntilAsync(async () => (await database.HandledAsync()).Count == versions.Count, "every version handled");
        Assert.Equal(versions.Select(v => (Guid.Parse(v.Id), v.AggregateVersion)), await database.HandledAsync());
    }

    [Fact]
    public async Task OutcomesQueuedBeforeTheEventsTheyFollowLeaveTheSlotsToThem()
    {
        // Two slots, and three outcomes queued before the committee versions each must follow (Notifications' log).
        var (database, topology, service) = await StartAsync("outcomes", typeof(OutcomeRecordingConsumer), concurrentMessageLimit: 2);
        await using var _ = service;
        const string committee = "committees/gia-lai-64";
        var outcomes = Enumerable.Range(1, 3).Select(v => TestEvents.DecisionApplied($"decisions/qd-{v}", committee, v)).ToList();
        var versions = Enumerable.Range(1, 3).Select(v => TestEvents.CommitteeUpdated(committee, v)).ToList();

        foreach (var envelope in outcomes.Concat(Enumerable.Reverse(versions)))
        {
            await PublishAsync(service, envelope);
        }

        await Eventually.WaitUntilAsync(async () => (await database.HandledAsync()).Count == 6, "every event and outcome handled");
        var handled = (await database.HandledAsync()).Select(h => h.Item1).ToList();
        Assert.Equal(versions.Select(v => Guid.Parse(v.Id)), handled.Where(id => versions.Any(v => Guid.Parse(v.Id) == id)));
        for (var i = 0; i < outcomes.Count; i++)
        {
            Assert.True(handled.IndexOf(Guid.Parse(outcomes[i].Id)) > handled.IndexOf(Guid.Parse(versions[i].Id)), $"outcome {i + 1} after v{i + 1}");
        }
    }

    [Fact]
    public async Task AMessageWithNothingParkedBehindItLooksForNothingToRelease()
    {
        // The sweep and the gauges stay out of the way: every look for ready parked messages is a handled message's.
        // Reads of the parked messages that wait for a position: what a release looks for (the read of the positions
        // with whether anything is parked behind them joins the other way round).
        var releaseLookups = new MatchingCommands(text =>
            text.Contains("FROM inbox_parked_messages", StringComparison.Ordinal) && text.Contains("INNER JOIN inbox_positions", StringComparison.Ordinal));
        var consumed = new ConsumedMessages();
        var (database, _, service) = await StartAsync("release-lookups", typeof(OrderedRecordingConsumer), services: services =>
        {
            services.AddSingleton<IInterceptor>(releaseLookups);
            services.AddConsumeObserver(_ => consumed);
        }, sweeps: false);
        await using var _ = service;
        const string committee = "committees/gia-lai-64";
        var versions = Enumerable.Range(1, 4).Select(v => TestEvents.CommitteeUpdated(committee, v)).ToList();

        // In order, one at a time: nothing is ever parked, so nothing is looked for (a release runs after the commit,
        // before the consumer returns).
        await PublishAsync(service, versions[0]);
        await Eventually.WaitUntilAsync(() => consumed.Count == 1, "v1 consumed");
        await PublishAsync(service, versions[1]);
        await Eventually.WaitUntilAsync(() => consumed.Count == 2, "v2 consumed");
        Assert.Equal(2, (await database.HandledAsync()).Count);
        Assert.Equal(0, releaseLookups.Count);

        // v4 parks behind v3, which then looks for it and releases it.
        await PublishAsync(service, versions[3]);
        await Eventually.WaitUntilAsync(async () => await ParkedAsync(database) == 1, "v4 parked");
        await PublishAsync(service, versions[2]);
        await Eventually.WaitUntilAsync(async () => (await database.HandledAsync()).Count == 4, "v3 and v4 handled");
        Assert.Equal(versions.Select(v => (Guid.Parse(v.Id), v.AggregateVersion)), await database.HandledAsync());
        Assert.True(releaseLookups.Count > 0, "v3 looked for what it released");
    }

    [Fact]
    public async Task AnOrderedMessageIsRecordedAndItsPositionReadInOneStatement()
    {
        var recordsReadingPositions = new MatchingCommands(text =>
            text.Contains("INSERT INTO inbox_messages", StringComparison.Ordinal) && text.Contains("inbox_positions", StringComparison.Ordinal));
        var recordsAlone = new MatchingCommands(text =>
            text.Contains("INSERT INTO inbox_messages", StringComparison.Ordinal) && !text.Contains("inbox_positions", StringComparison.Ordinal));
        var (database, _, service) = await StartAsync("one-statement", typeof(OrderedRecordingConsumer), services: services => services
            .AddSingleton<IInterceptor>(recordsReadingPositions)
            .AddSingleton<IInterceptor>(recordsAlone));
        await using var _ = service;
        var versions = Enumerable.Range(1, 2).Select(v => TestEvents.CommitteeUpdated("committees/gia-lai-64", v)).ToList();

        foreach (var version in versions)
        {
            await PublishAsync(service, version);
            await Eventually.WaitUntilAsync(async () => (await database.HandledAsync()).Count == version.AggregateVersion, $"v{version.AggregateVersion} handled");
        }

        // One round trip before the handler: the id's claim and the read of its position (the first finds none).
        Assert.Equal((2, 0), (recordsReadingPositions.Count, recordsAlone.Count));
        Assert.Equal(versions.Select(v => (Guid.Parse(v.Id), v.AggregateVersion)), await database.HandledAsync());
    }

    [Fact]
    public async Task AParkedMessageIsCountedWithItsAgeUntilItIsHandled()
    {
        var (_, _, service) = await StartAsync("parked-count", typeof(OrderedRecordingConsumer));
        await using var _ = service;
        using var gauges = new ParkedGauges(service.Services.GetRequiredService<IMeterFactory>());

        await PublishAsync(service, TestEvents.CommitteeUpdated("committees/gia-lai-64", 2));
        await Eventually.WaitUntilAsync(() => gauges.Read() is (1, > 0), "v2 counted as parked, with its age");

        await PublishAsync(service, TestEvents.CommitteeUpdated("committees/gia-lai-64", 1));
        await Eventually.WaitUntilAsync(() => gauges.Read() is (0, 0), "nothing parked once v1 is handled");
    }

    [Fact]
    public async Task AParkedMessageWhoseReleaserDiedAfterCommittingIsHandledByTheSweep()
    {
        var (database, _, service) = await StartAsync("sweep", typeof(OrderedRecordingConsumer));
        await using var _ = service;
        var second = TestEvents.CommitteeUpdated("committees/gia-lai-64", 2);
        await PublishAsync(service, second);
        await Eventually.WaitUntilAsync(async () => await ParkedAsync(database) == 1, "v2 parked");

        // v1 handled and committed by a process that was killed before it released v2: only its position moved.
        await using (var db = database.CreateContext())
        {
            await db.Set<InboxPosition>().Where(p => p.Aggregate == "committees/gia-lai-64").ExecuteUpdateAsync(p => p.SetProperty(x => x.Version, 1));
        }

        await Eventually.WaitUntilAsync(async () => (await database.HandledAsync()).Count == 1, "v2 handled without another message");
        Assert.Equal([(Guid.Parse(second.Id), 2L)], await database.HandledAsync());
        Assert.Equal(0, await ParkedAsync(database));
    }

    [Fact]
    public async Task AParkedMessageThatFailsStaysParkedWithoutFailingTheMessageThatReleasedIt()
    {
        var (database, topology, service) = await StartAsync("poison", typeof(PoisonableConsumer));
        await using var _ = service;
        var poisoned = service.Services.GetRequiredService<PoisonedMessages>();
        var first = TestEvents.CommitteeUpdated("committees/gia-lai-64", 1);
        var second = TestEvents.CommitteeUpdated("committees/gia-lai-64", 2);
        poisoned.Ids[Guid.Parse(second.Id)] = true;

        await PublishAsync(service, second);
        await Eventually.WaitUntilAsync(async () => await ParkedAsync(database) == 1, "v2 parked");
        await PublishAsync(service, first);

        // v2 fails when v1 releases it, and again at each sweep; v1 stays handled once and reaches no error queue.
        await Eventually.WaitUntilAsync(() => poisoned.Attempts.GetValueOrDefault(Guid.Parse(second.Id)) >= 8, "v2 tried again by the sweep, past the retry budget of the message that released it");
        Assert.Equal([(Guid.Parse(first.Id), 1L)], await database.HandledAsync());
        Assert.Equal(1, poisoned.Attempts[Guid.Parse(first.Id)]);
        Assert.Equal(0u, await ErrorQueueDepthAsync(topology));
        Assert.Equal(1, await ParkedAsync(database));

        // Mended (the dependency it failed on is back): the next sweep handles it, in order.
        poisoned.Ids.Clear();
        await Eventually.WaitUntilAsync(async () => (await database.HandledAsync()).Count == 2, "v2 handled once mended");
        Assert.Equal([(Guid.Parse(first.Id), 1L), (Guid.Parse(second.Id), 2L)], await database.HandledAsync());
        Assert.Equal(0, await ParkedAsync(database));
    }

    private static async Task<int> ParkedAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.Set<InboxParkedMessage>().CountAsync();
    }

    /// <summary>Messages in the consumer's <c>_error</c> queue (none when MassTransit never had to create it).</summary>
    private static Task<uint> ErrorQueueDepthAsync(string topology) => TestBus.MessagesInAsync(topology + ".consumer_error");

    private static async Task<(TestDatabase, string, MessagingTestHost)> StartAsync(
        string test, Type consumer, int concurrentMessageLimit = 8, Action<IServiceCollection>? services = null, bool sqlite = false, bool sweeps = true)
    {
        // SQLite is the embedded host's store: the id's insert and the positions' read go one after the other there.
        var database = sqlite ? await TestDatabase.CreateSqliteAsync() : await TestDatabase.CreatePostgresAsync();
        var topology = $"inbox-test.{test}.{Guid.NewGuid():N}";
        return (database, topology, await MessagingTestHost.StartAsync(
            database, TestInfrastructure.RabbitMqUri, topology, relay: false, consumer: consumer, concurrentMessageLimit: concurrentMessageLimit, services: services, sweeps: sweeps));
    }
    private static Task PublishAsync(MessagingTestHost service, EventEnvelope envelope) =>
        service.Services.GetRequiredService<IBus>().Publish(envelope, context => context.MessageId = Guid.Parse(envelope.Id));


    /// <summary>How many messages the host's consumer has finished with.</summary>
    private sealed class ConsumedMessages : IConsumeObserver
    {
        private int count;

        public int Count => Volatile.Read(ref count);

        public Task PreConsume<T>(ConsumeContext<T> context)
            where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context)
            where T : class
        {
            Interlocked.Increment(ref count);
            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;
    }
}
