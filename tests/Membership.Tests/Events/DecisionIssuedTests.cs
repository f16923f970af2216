using Egov.Steering.Events.V1;
using Egov.Steering.Membership.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Egov.Steering.Membership.Tests.Events.IssuedDecisions;
using DecisionKind = Egov.Steering.Decisions.V1.DecisionKind;
using Role = Egov.Steering.Types.V1.MembershipRole;
using Egov.Steering.TestSupport;

namespace Egov.Steering.Membership.Tests.Events;

/// <summary>
/// DecisionIssued events published on the real RabbitMQ, applied by Membership on the real PostgreSQL: the decision's
/// effects, its events (through the outbox, back on the bus), its one outcome, and the cached views after it.
/// </summary>
public sealed class DecisionIssuedTests : IAsyncLifetime
{
    private MembershipHost host = null!;

    public async Task InitializeAsync()
    {
        // The register's today is a day the 2020 provinces existed: their committees are in operation, so assessed.
        host = await MembershipHost.StartAsync(new FakeTimeProvider(new DateTimeOffset(2024, 1, 10, 3, 0, 0, TimeSpan.Zero)));
        using var scope = host.Scope(out var db);
        await SeedPostsAndPeopleAsync(db);
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private static EventEnvelope FoundGiaLai() => Issued("qd-337-ubnd-2019", "337/QĐ-UBND", GiaLai, Day(2019, 6, 20), [DecisionKind.Establish],
        Establish("bcd-gia-lai", "Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai", GiaLai),
        AssignHolder("chu-tich-gia-lai", "vo-ngoc-thanh"),
        AppointPost("bcd-gia-lai", "chu-tich-gia-lai", Role.Chair),
        AppointPost("bcd-gia-lai", "giam-doc-stttt-gia-lai", Role.StandingMember, Role.Secretary));

    [Fact]
    public async Task An_issued_decision_is_applied_with_its_fine_grained_events_and_DecisionApplied_and_the_view_shows_it()
    {
        var issued = FoundGiaLai();

        await host.PublishAsync(issued);
        var applied = await OutcomeOfAsync(issued);

        Assert.Equal(EventEnvelope.EventOneofCase.DecisionApplied, applied.EventCase);
        Assert.Equal("decisions/qd-337-ubnd-2019/outcome", applied.Aggregate);
        Assert.Equal(1, applied.AggregateVersion);
        Assert.Equal(["committees/bcd-gia-lai"], applied.DecisionApplied.Committees);
        Assert.Equal(GiaLai, applied.Jurisdiction);

        // Created, two seats, and compliance evaluated for the first time: one committee counter without gaps.
        var committeeEvents = await EventsOfAsync(issued, e => e.Aggregate == "committees/bcd-gia-lai", 4);
        Assert.Equal(
            [EventEnvelope.EventOneofCase.CommitteeCreated, EventEnvelope.EventOneofCase.MembershipStarted,
             EventEnvelope.EventOneofCase.MembershipStarted, EventEnvelope.EventOneofCase.ComplianceChanged],
            committeeEvents.Select(e => e.EventCase));
        Assert.Equal([1L, 2, 3, 4], committeeEvents.Select(e => e.AggregateVersion));
        Assert.All(committeeEvents.Append(applied), e =>
        {
            Assert.Equal(issued.CorrelationId, e.CorrelationId);
            Assert.Equal(issued.Id, e.CausationId);
            Assert.Equal(Egov.Steering.Types.V1.CommitteeLevel.Province, e.CommitteeLevel);
            Assert.Equal(GiaLai, e.Jurisdiction);
            Assert.Equal("//membership.steering.egov.gov.vn", e.Source);
        });
        var chair = committeeEvents[1].MembershipStarted.Membership;
        Assert.Equal("committees/bcd-gia-lai/memberships/1", committeeEvents[1].Subject);
        Assert.Equal("Võ Ngọc Thành", chair.PersonDisplayName);
        Assert.Equal(Day(2019, 6, 20), chair.StartDate);
        Assert.Equal("decisions/qd-337-ubnd-2019", chair.AppointingDecision);

        var holder = Assert.Single(await EventsOfAsync(issued, e => e.Aggregate == "posts/chu-tich-gia-lai", 1));
        Assert.Equal("people/vo-ngoc-thanh", holder.PostHolderChanged.Person);
        Assert.Equal(1, holder.AggregateVersion);

        // The outcome names the last version of everything the decision caused, its compliance flip included.
        Assert.Equal(
            new Dictionary<string, long> { ["committees/bcd-gia-lai"] = 4, ["posts/chu-tich-gia-lai"] = 1 },
            applied.DecisionApplied.AggregateVersions);

        var view = await host.ReadViewAsync(views => views.GetCommitteeViewAsync("bcd-gia-lai", null, CancellationToken.None));
        Assert.Equal(["Chủ tịch UBND tỉnh Gia Lai", "Giám đốc Sở Thông tin và Truyền thông tỉnh Gia Lai"], view.Memberships.Select(m => m.PostDisplayName));
        Assert.Equal("Võ Ngọc Thành", view.Memberships[0].PersonDisplayName);
        Assert.Equal(committeeEvents[^1].ComplianceChanged.Compliance.Status, view.Compliance.Status);
        Assert.Equal(4, view.Committee.Version);
    }

    [Fact]
    public async Task The_same_decision_delivered_again_changes_nothing_and_emits_nothing()
    {
        var issued = FoundGiaLai();
        await host.PublishAsync(issued);
        await OutcomeOfAsync(issued);

        await host.PublishAsync(Again(issued));
        await host.PublishAsync(Republished(issued));
        // One message at a time, in queue order: once this later decision is applied, the copies were handled.
        var later = Issued("qd-1-ubnd-2019", "1/QĐ-UBND", BinhDinh, Day(2019, 3, 1), [DecisionKind.Establish],
            Establish("bcd-binh-dinh", "Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Bình Định", BinhDinh));
        await host.PublishAsync(later);
        await OutcomeOfAsync(later);

        Assert.Single(host.Events.All, e => e.EventCase is EventEnvelope.EventOneofCase.DecisionApplied or EventEnvelope.EventOneofCase.DecisionRejected
            && e.Aggregate == "decisions/qd-337-ubnd-2019/outcome");
        using var scope = host.Scope(out var db);
        var committee = await db.CommitteeAggregates.SingleAsync(c => c.Id == "bcd-gia-lai");
        Assert.Equal(4, committee.Version);
        Assert.Equal(2, committee.Memberships.Count);
        Assert.Equal(5, await db.Set<Egov.Steering.Messaging.Outbox.OutboxMessage>().CountAsync(m => m.Aggregate == "committees/bcd-gia-lai"
            || m.Aggregate == "posts/chu-tich-gia-lai"));
    }

    [Fact]
    public async Task A_committees_queued_decisions_handled_together_each_get_their_own_events_and_outcome()
    {
        var found = FoundGiaLai();
        var appoint = Issued("qd-12-ubnd-2019", "12/QĐ-UBND", GiaLai, Day(2019, 8, 1), [DecisionKind.Amend], AppointPerson("bcd-gia-lai", "ho-phuoc-thanh"));
        var again = Issued("qd-13-ubnd-2019", "13/QĐ-UBND", GiaLai, Day(2019, 9, 1), [DecisionKind.Amend], AppointPerson("bcd-gia-lai", "ho-phuoc-thanh"));

        // As the consumer with a committee's queue: one transaction, one loaded register, a decision after another.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var handler = scope.ServiceProvider.GetRequiredService<Egov.Steering.Membership.Events.DecisionIssuedHandler>();
            var outcomes = await handler.ConsumeAllAsync([.. new[] { found, appoint, again }.Select(e => (Guid.Parse(e.Id), e))], CancellationToken.None);
            Assert.All(outcomes, Assert.Null);
        }

        Assert.Equal(
            new Dictionary<string, long> { ["committees/bcd-gia-lai"] = 4, ["posts/chu-tich-gia-lai"] = 1 },
            (await OutcomeOfAsync(found)).DecisionApplied.AggregateVersions);
        // The second lists the versions its own events reached, not those the first one's did.
        var appointed = await OutcomeOfAsync(appoint);
        var started = Assert.Single(await EventsOfAsync(appoint, e => e.EventCase == EventEnvelope.EventOneofCase.MembershipStarted, 1));
        Assert.Equal(5, started.AggregateVersion);
        Assert.Equal("Hồ Phước Thành", started.MembershipStarted.Membership.PersonDisplayName);
        Assert.Equal(["committees/bcd-gia-lai"], appointed.DecisionApplied.AggregateVersions.Keys);
        Assert.Equal(
            host.Events.CausedBy(appoint).Where(e => e.Aggregate == "committees/bcd-gia-lai").Max(e => e.AggregateVersion),
            appointed.DecisionApplied.AggregateVersions["committees/bcd-gia-lai"]);
        // The third meets the member the second appointed, in the same transaction.
        var rejected = await OutcomeOfAsync(again);
        Assert.Equal(EventEnvelope.EventOneofCase.DecisionRejected, rejected.EventCase);
        Assert.Contains(rejected.DecisionRejected.Reasons, r => r.Reason == "ALREADY_A_MEMBER");
    }

    [Fact]
    public async Task A_decision_with_problems_is_rejected_with_every_reason_and_nothing_is_applied()
    {
        var issued = Issued("qd-9-ubnd-2020", "9/QĐ-UBND", GiaLai, Day(2020, 1, 1), [DecisionKind.Establish],
            Establish("bcd-gia-lai", "Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai", GiaLai),
            AppointPost("bcd-gia-lai", "no-such-post", Role.Chair),
            AppointPost("bcd-khac", "chu-tich-gia-lai", Role.Member));

        await host.PublishAsync(issued);
        var rejected = await OutcomeOfAsync(issued);

        Assert.Equal(EventEnvelope.EventOneofCase.DecisionRejected, rejected.EventCase);
        Assert.Equal("decisions/qd-9-ubnd-2020", rejected.DecisionRejected.Decision);
        Assert.Equal(1, rejected.AggregateVersion);
        Assert.Equal(issued.Id, rejected.CausationId);
        var fields = rejected.DecisionRejected.Reasons.Select(r => r.Field).ToList();
        Assert.Contains(fields, f => f.StartsWith("changes[1]", StringComparison.Ordinal));
        Assert.Contains(fields, f => f.StartsWith("changes[2]", StringComparison.Ordinal));
        Assert.Equal([rejected.Id], host.Events.CausedBy(issued).Select(e => e.Id));

        using var scope = host.Scope(out var db);
        Assert.False(await db.Committees.AnyAsync());
        Assert.False(await db.AppliedDecisions.AnyAsync());
        Assert.Equal(1, await db.Set<Egov.Steering.Messaging.Outbox.OutboxMessage>().CountAsync());
    }

    [Fact]
    public async Task A_decision_naming_a_foreign_subject_committee_or_changing_a_committee_outside_its_subjects_is_rejected()
    {
        var founded = WithSubjects(FoundGiaLai(), "bcd-gia-lai");
        await host.PublishAsync(founded);
        Assert.Equal(EventEnvelope.EventOneofCase.DecisionApplied, (await OutcomeOfAsync(founded)).EventCase);
        var establishBinhDinh = Establish("bcd-binh-dinh", "Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Bình Định", BinhDinh);

        // Bình Định's own committee, but naming Gia Lai's too: it would take a place in Gia Lai's issue order.
        var foreign = WithSubjects(Issued("qd-1-ubnd-2020", "1/QĐ-UBND", BinhDinh, Day(2020, 1, 1), [DecisionKind.Establish], establishBinhDinh),
            "bcd-binh-dinh", "bcd-gia-lai");
        // The national government may act on any committee, but only on its subject committees.
        var outside = WithSubjects(Issued("qd-2-ttg-2020", "2/QĐ-TTg", "national", Day(2020, 1, 1), [DecisionKind.Establish],
            establishBinhDinh, AppointPost("bcd-binh-dinh", "chu-tich-binh-dinh", Role.Chair)), "bcd-gia-lai");
        await host.PublishAsync(foreign);
        await host.PublishAsync(outside);

        Assert.Equal(
            [("subject_committees[1]", "NOT_OWNER")],
            (await OutcomeOfAsync(foreign)).DecisionRejected.Reasons.Select(r => (r.Field, r.Reason)));
        Assert.Equal(
            [("changes[0].establish_committee.committee_id", "COMMITTEE_NOT_A_SUBJECT"), ("changes[1].appoint.committee", "COMMITTEE_NOT_A_SUBJECT")],
            (await OutcomeOfAsync(outside)).DecisionRejected.Reasons.Select(r => (r.Field, r.Reason)));
        using var scope = host.Scope(out var db);
        Assert.Equal(["bcd-gia-lai"], await db.Committees.Select(c => c.Id).ToListAsync());
        Assert.Equal(["qd-337-ubnd-2019"], (await db.CommitteeAggregates.SingleAsync()).Decisions.Select(d => d.DecisionId));
    }

    [Fact]
    public async Task A_malformed_decision_is_rejected_with_the_problems_of_its_form()
    {
        var issued = Issued("qd-10-ubnd-2020", "10/QĐ-UBND", GiaLai, Day(2020, 1, 1), [DecisionKind.Amend],
            new Egov.Steering.Types.V1.Change());
        issued.DecisionIssued.Decision.EffectiveDate = null;

        await host.PublishAsync(issued);
        var rejected = await OutcomeOfAsync(issued);

        Assert.Equal(EventEnvelope.EventOneofCase.DecisionRejected, rejected.EventCase);
        Assert.Equal(
            [("changes[0]", "MISSING_CHANGE"), ("effective_date", "MISSING_DATE")],
            rejected.DecisionRejected.Reasons.Select(r => (r.Field, r.Reason)).Order());
    }

    [Fact]
    public async Task A_decision_whose_texts_are_longer_than_the_register_keeps_is_rejected_naming_them_and_one_as_long_is_applied()
    {
        var founded = FoundGiaLai();
        await host.PublishAsync(founded);
        await OutcomeOfAsync(founded);
        var name = "BAN CHỈ ĐẠO " + new string('Ầ', 288);
        var tooLong = Issued("qd-11-ubnd-2020", "11/QĐ-UBND", GiaLai, Day(2020, 1, 1), [DecisionKind.Rename, DecisionKind.Amend],
            Rename("bcd-gia-lai", name + "Ầ"),
            new Egov.Steering.Types.V1.Change { Relieve = new() { Committee = "committees/bcd-gia-lai", Holder = new() { Post = "posts/chu-tich-gia-lai" }, Reason = new string('x', 501) } });
        var asLong = Issued("qd-12-ubnd-2020", "12/QĐ-UBND", GiaLai, Day(2020, 1, 2), [DecisionKind.Rename], Rename("bcd-gia-lai", name));

        await host.PublishAsync(tooLong);
        await host.PublishAsync(asLong);

        Assert.Equal(
            [("changes[0].rename_committee.display_name", "TOO_LONG"), ("changes[1].relieve.reason", "TOO_LONG")],
            (await OutcomeOfAsync(tooLong)).DecisionRejected.Reasons.Select(r => (r.Field, r.Reason)).Order());
        Assert.Equal(EventEnvelope.EventOneofCase.DecisionApplied, (await OutcomeOfAsync(asLong)).EventCase);
        using var scope = host.Scope(out var db);
        Assert.Contains(name, (await db.Committees.SingleAsync()).Names.Select(n => n.DisplayName));
    }

    private async Task<EventEnvelope> OutcomeOfAsync(EventEnvelope issued)
    {
        EventEnvelope? outcome = null;
        await Eventually.WaitUntilAsync(
            () => (outcome = host.Events.CausedBy(issued).FirstOrDefault(e =>
                e.EventCase is EventEnvelope.EventOneofCase.DecisionApplied or EventEnvelope.EventOneofCase.DecisionRejected)) is not null,
            "the outcome of " + issued.Subject);
        return outcome!;
    }

    private async Task<IReadOnlyList<EventEnvelope>> EventsOfAsync(EventEnvelope issued, Func<EventEnvelope, bool> filter, int count)
    {
        IReadOnlyList<EventEnvelope> events = [];
        await Eventually.WaitUntilAsync(() => (events = host.Events.CausedBy(issued).Where(filter).ToList()).Count >= count, $"{count} events");
        return [.. events.OrderBy(e => e.AggregateVersion)];
    }
}
