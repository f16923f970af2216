using System.Collections.Concurrent;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Events.V1;
using Egov.Steering.Integration.Tests.Support;
using Egov.Steering.Notifications.V1;
using Egov.Steering.TestSupport;
using Egov.Steering.Types.V1;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using static Egov.Steering.Integration.Tests.Support.GiaLai;

namespace Egov.Steering.Integration.Tests.Operations;

/// <summary>
/// docs/runbooks/backup-restore.md, end to end: each service's database dumped with pg_dump and restored into a fresh
/// one, the services started again on the restored databases resume where they were — outbox, inbox positions, the
/// log and its relay cursors — and nothing reaches the feed or the public exchange twice.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class BackupRestoreTests(SuiteBroker broker) : IAsyncLifetime
{
    private SteeringSystem system = null!;
    private GiaLai gialai = null!;

    public async Task InitializeAsync()
    {
        system = await SteeringSystem.StartAsync(broker.Uri);
        gialai = new GiaLai(system);
    }

    public async Task DisposeAsync() => await system.DisposeAsync();

    [Fact]
    public async Task Services_restored_from_their_dumps_resume_without_publishing_anything_twice()
    {
        var exchange = new ConcurrentQueue<EventEnvelope>();
        var factory = new ConnectionFactory { Uri = broker.Uri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(system.PublicExchangeName, ExchangeType.Topic, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync(exclusive: true)).QueueName;
        await channel.QueueBindAsync(queue, system.PublicExchangeName, "#");
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            exchange.Enqueue(EventEnvelope.Parser.ParseFrom(delivery.Body.Span));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);

        var vo = await gialai.PersonAsync("Võ Ngọc Thành");
        var founding = await gialai.ApplyAsync(Founding(vo));
        await Eventually.WaitUntilAsync(
            () => Task.FromResult(exchange.Any(e => e.Type == "egov.steering.events.v1.DecisionApplied" && e.Subject == founding.Name)),
            "the founding decision's outcome on the public exchange");
        var beforeBackup = (await FeedAsync()).Count;

        await system.RestoreAsync((service, database) => PostgresBackup.CopyAsync(database, service + "_restored"));
        gialai = new GiaLai(system); // the restarted services listen on new ports

        // The restored system goes on: Decisions issues, Membership applies after the committee's restored version,
        // Notifications appends after its restored position and its relays continue from their restored cursors.
        var truong = await gialai.PersonAsync("Trương Hải Long");
        var amendment = await gialai.ApplyAsync(Draft("20/QĐ-UBND", Day(2020, 11, 1), DecisionKind.Amend, Appoint(truong, MembershipRole.Member)));
        Assert.Equal([(vo, MembershipRole.Chair), (truong, MembershipRole.Member)], await gialai.MembersAsync());
        await Eventually.WaitUntilAsync(
            () => Task.FromResult(exchange.Any(e => e.Type == "egov.steering.events.v1.DecisionApplied" && e.Subject == amendment.Name)),
            "the amendment's outcome on the public exchange");

        // The relay publishes in position order: anything published again would have come before the amendment's outcome.
        var feed = await FeedAsync();
        Assert.True(feed.Count > beforeBackup);
        Assert.Equal(Enumerable.Range(1, feed.Count).Select(p => (long)p), feed.Select(e => e.Position));
        Assert.Equal(feed.Count, feed.Select(e => e.Id).Distinct().Count());
        Assert.Equal(feed.Select(e => e.Id), exchange.Select(e => e.Id));
        // The committee's events continue its restored version (Membership) and are logged in that order (Notifications' inbox).
        var committee = feed.Where(e => e.Aggregate == GiaLai.Committee).Select(e => e.AggregateVersion).ToList();
        Assert.True(committee.Count >= 4, $"{committee.Count} events of {GiaLai.Committee}");
        Assert.Equal(Enumerable.Range(1, committee.Count).Select(v => (long)v), committee);
    }

    private async Task<List<EventEnvelope>> FeedAsync() =>
        [.. (await system.NotificationsClient(Province).ListEventsAsync(new ListEventsRequest { PageSize = 500 })).Events];
}
