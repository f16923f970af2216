using Egov.Steering.BuildingBlocks.Tests.Messaging;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.BuildingBlocks.Tests.Outbox;

/// <summary>
/// A commit wakes its own host's relay once, in-process, for the partitions it wrote, and the relays of other replicas
/// through its NOTIFY, which its own listener ignores: a second wake-up of its relay cost a pass (a scope, a query) that
/// found nothing, and asking the database which partitions have due rows cost a query the commit could answer.
/// </summary>
public sealed class OutboxWakeUpTests
{
    [Fact]
    public async Task A_commit_wakes_its_own_relay_once_for_its_partition_and_another_replicas_relay_through_notify()
    {
        var database = await TestDatabase.CreatePostgresAsync();
        var topology = $"outbox-test.wake-up.{Guid.NewGuid():N}";
        MatchingCommands scansA = PartitionScans(), scansB = PartitionScans(), readsA = PartitionReads();
        // Only commits wake the relays here: the fallback poll is far away.
        await using var replicaA = await MessagingTestHost.StartAsync(
            database, TestInfrastructure.RabbitMqUri, topology, outbox: Unpolled,
            services: s => s.AddSingleton<IInterceptor>(scansA).AddSingleton<IInterceptor>(readsA));
        await using var replicaB = await MessagingTestHost.StartAsync(
            database, TestInfrastructure.RabbitMqUri, topology, outbox: Unpolled, services: s => s.AddSingleton<IInterceptor>(scansB));
        await Task.WhenAll(scansA.SettledAsync(), scansB.SettledAsync(), readsA.SettledAsync());
        var (scannedA, scannedB, readA) = (scansA.Count, scansB.Count, readsA.Count);

        await using (var scope = replicaA.CreateScope(out var db))
        {
            await TestEvents.CommitChangeAsync(db, "committees/wake-up-1", 1);
        }

        await Eventually.WaitUntilAsync(database.AllPublishedAsync, "the row published");
        await Task.WhenAll(scansA.SettledAsync(), scansB.SettledAsync(), readsA.SettledAsync());

        Assert.Equal(1, readsA.Count - readA); // one pass, of the partition the commit wrote
        Assert.Equal(0, scansA.Count - scannedA); // without asking which partitions have due rows
        Assert.Equal(1, scansB.Count - scannedB); // the other replica, woken by the NOTIFY, asks once
    }

    [Fact]
    public async Task A_commit_writing_several_partitions_is_published_in_one_pass_in_the_order_it_wrote()
    {
        var database = await TestDatabase.CreatePostgresAsync();
        var (reads, locks) = (PartitionReads(), PartitionLocks());
        var marks = MatchingCommands.Statements("UPDATE outbox_messages");
        await using var host = await MessagingTestHost.StartAsync(
            database, TestInfrastructure.RabbitMqUri, $"outbox-test.write-order.{Guid.NewGuid():N}", outbox: Unpolled,
            services: s => s.AddSingleton<IInterceptor>(reads).AddSingleton<IInterceptor>(locks).AddSingleton<IInterceptor>(marks));
        await reads.SettledAsync();
        var (readBefore, locksBefore, marksBefore) = (reads.Count, locks.Count, marks.Count);
        var publications = new PublicationLog();
        using var observing = host.Services.GetRequiredService<IBus>().ConnectPublishObserver(publications);

        // Events of six aggregates in one transaction, as a decision's events and its outcome are written.
        await using (var scope = host.CreateScope(out var db))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var i = 1; i <= 6; i++)
            {
                db.AddOutboxEvent(TestEvents.CommitteeUpdated($"committees/write-order-{i}", 1));
            }

            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await Eventually.WaitUntilAsync(database.AllPublishedAsync, "the rows published");
        await reads.SettledAsync();
        await using var check = database.CreateContext();
        var rows = await check.Set<OutboxMessage>().OrderBy(m => m.Sequence).ToListAsync();
        Assert.True(rows.Select(m => m.Partition).Distinct().Count() > 1, "the rows fall in several partitions");
        Assert.Equal(1, reads.Count - readBefore); // one transaction took every partition the commit wrote
        Assert.Equal(1, locks.Count - locksBefore); // in the statement that read their rows: one round trip before publishing
        Assert.Equal(1, marks.Count - marksBefore); // and marked its six rows published in one statement
        // Each published (confirmed) before the next was sent, in the order written.
        Assert.Equal(rows.SelectMany(m => new[] { (PublicationStep.Started, m.MessageId), (PublicationStep.Completed, m.MessageId) }), publications.Steps);
    }

    [Fact]
    public async Task A_host_running_two_outboxes_wakes_the_relay_of_the_outbox_a_commit_wrote()
    {
        var database = await TestDatabase.CreatePostgresAsync();
        var other = await TestInfrastructure.CreateDatabaseAsync("outbox");
        await using (var otherDb = OtherOutboxDbContext.Create(other))
        {
            await otherDb.Database.EnsureCreatedAsync();
        }

        // As the sandbox runs Membership's and Decisions' outboxes in one host; only commits wake the relays here.
        await using var host = await MessagingTestHost.StartAsync(
            database,
            TestInfrastructure.RabbitMqUri,
            $"outbox-test.two-outboxes.{Guid.NewGuid():N}",
            outbox: Unpolled,
            services: s => s
                .AddDbContext<OtherOutboxDbContext>((services, options) => OtherOutboxDbContext.Configure(options, other).AddInterceptors(services.GetServices<IInterceptor>()))
                .AddOutboxRelay<OtherOutboxDbContext>());

        // Each commit, one after the other: with one signal for both relays, a wake-up went to whichever relay had
        // waited longer, and every other commit's rows waited for the poll.
        for (var version = 1; version <= 3; version++)
        {
            await using (var scope = host.CreateScope(out var db))
            {
                await TestEvents.CommitChangeAsync(db, "committees/two-outboxes", version);
            }

            await Eventually.WaitUntilAsync(database.AllPublishedAsync, $"version {version} published by its own outbox's relay");
        }
    }

    private static void Unpolled(OutboxOptions options) => options.PollInterval = TimeSpan.FromMinutes(10);

    /// <summary>A relay asking which partitions have due rows.</summary>
    private static MatchingCommands PartitionScans() =>
        new(text => text.Contains("SELECT DISTINCT", StringComparison.Ordinal) && text.Contains("outbox_messages", StringComparison.Ordinal));

    /// <summary>A relay taking the partitions it publishes in a pass and reading their rows, in one statement.</summary>
    private static MatchingCommands PartitionReads() =>
        new(text => text.Contains("pg_try_advisory_xact_lock", StringComparison.Ordinal) && text.Contains("outbox_messages", StringComparison.Ordinal));

    /// <summary>Every statement that takes partitions' locks, whatever else it does.</summary>
    private static MatchingCommands PartitionLocks() =>
        new(text => text.Contains("pg_try_advisory_xact_lock", StringComparison.Ordinal));

    /// <summary>Another service's outbox in the same host, in a database of its own.</summary>
    private sealed class OtherOutboxDbContext(DbContextOptions<OtherOutboxDbContext> options) : DbContext(options)
    {
        public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
            options.UseNpgsql(connectionString).UseSnakeCaseNamingConvention();

        public static OtherOutboxDbContext Create(string connectionString) =>
            new(((DbContextOptionsBuilder<OtherOutboxDbContext>)Configure(new DbContextOptionsBuilder<OtherOutboxDbContext>(), connectionString)).Options);

        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutboxAndInbox();
    }
}
