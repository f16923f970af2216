using Egov.Steering.Decisions.V1;
using Egov.Steering.Events.V1;
using Egov.Steering.Integration.Tests.Support;
using Egov.Steering.Notifications.V1;
using Egov.Steering.TestSupport;
using Egov.Steering.Types.V1;
using static Egov.Steering.Integration.Tests.Support.GiaLai;

namespace Egov.Steering.Integration.Tests.Operations;

/// <summary>
/// docs/runbooks/backup-restore.md, end to end: each service's database dumped with pg_dump and restored into a fresh
/// one, the services started again on the restored databases resume where they were — outbox, inbox positions, the
/// log and its relay cursors — and nothing reaches the feed or the public exchange twice.
/// </summary>
public sealed class BackupRestoreTests(SuiteBroker broker) : SystemTests(broker)
{
    [Fact]
    public async Task Services_restored_from_their_dumps_resume_without_publishing_anything_twice()
    {
        await using var exchange = await PublicExchangeTap.StartAsync(Broker.Uri, Services.PublicExchangeName);

        var vo = await Gialai.PersonAsync("Võ Ngọc Thành");
        var founding = await Gialai.ApplyAsync(Founding(vo));
        await Eventually.WaitUntilAsync(
            () => Task.FromResult(exchange.Envelopes.Any(e => e.Type == "egov.steering.events.v1.DecisionApplied" && e.Subject == founding.Name)),
            "the founding decision's outcome on the public exchange");
        var beforeBackup = (await FeedAsync()).Count;

        await Services.RestoreAsync((service, database) => PostgresBackup.CopyAsync(database, service + "_restored"));
        Reconnect(); // the restarted services listen on new ports

        // The restored system goes on: Decisions issues, Membership applies after the committee's restored version,
        // Notifications appends after its restored position and its relays continue from their restored cursors.
        var truong = await Gialai.PersonAsync("Trương Hải Long");
        var amendment = await Gialai.ApplyAsync(Draft("20/QĐ-UBND", Day(2020, 11, 1), DecisionKind.Amend, Appoint(truong, MembershipRole.Member)));
        Assert.Equal([(vo, MembershipRole.Chair), (truong, MembershipRole.Member)], await Gialai.MembersAsync());
        await Eventually.WaitUntilAsync(
            () => Task.FromResult(exchange.Envelopes.Any(e => e.Type == "egov.steering.events.v1.DecisionApplied" && e.Subject == amendment.Name)),
            "the amendment's outcome on the public exchange");

        // The relay publishes in position order: anything published again would have come before the amendment's outcome.
        var feed = await FeedAsync();
        Assert.True(feed.Count > beforeBackup);
        Assert.Equal(Enumerable.Range(1, feed.Count).Select(p => (long)p), feed.Select(e => e.Position));
        Assert.Equal(feed.Count, feed.Select(e => e.Id).Distinct().Count());
        Assert.Equal(feed.Select(e => e.Id), exchange.Envelopes.Select(e => e.Id));
        // The committee's events continue its restored version (Membership) and are logged in that order (Notifications' inbox).
        var committee = feed.Where(e => e.Aggregate == GiaLai.Committee).Select(e => e.AggregateVersion).ToList();
        Assert.True(committee.Count >= 4, $"{committee.Count} events of {GiaLai.Committee}");
        Assert.Equal(Enumerable.Range(1, committee.Count).Select(v => (long)v), committee);
    }

    private async Task<List<EventEnvelope>> FeedAsync() =>
        [.. (await Services.NotificationsClient(Province).ListEventsAsync(new ListEventsRequest { PageSize = 500 })).Events];
}
