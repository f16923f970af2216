using Egov.Steering.Decisions.Tests.Support;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Events.V1;
using Egov.Steering.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Decisions.Tests.Grpc;

/// <summary>The embedded mode: the same RPCs on SQLite (schema created from the model), searches and lists included.</summary>
public sealed class SqliteTests : IAsyncLifetime
{
    private FakeMembership membership = null!;
    private DecisionsHost host = null!;

    public async Task InitializeAsync()
    {
        membership = await FakeMembership.StartAsync();
        host = await DecisionsHost.StartAsync(membership.Address, sqlite: true);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await membership.DisposeAsync();
    }

    [Fact]
    public async Task Drafts_are_listed_searched_and_issued_through_the_outbox()
    {
        var client = host.Client(Drafts.GiaLai);
        var older = Drafts.GiaLaiConsolidation("12/QĐ-UBND");
        older.EffectiveDate = older.SignedDate = Drafts.Day(2019, 6, 20);
        older.Kinds.Add(DecisionKind.Rename);
        await client.CreateDecisionAsync(new CreateDecisionRequest { Decision = older, DecisionId = "qd-12" });
        var created = await client.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation(), DecisionId = "qd-337" });

        var issued = await client.IssueDecisionAsync(new IssueDecisionRequest { Name = created.Name, Etag = created.Etag });

        Assert.Equal(issued, await client.GetDecisionAsync(new GetDecisionRequest { Name = created.Name }));
        Assert.Equal(["decisions/qd-12"], (await client.ListDecisionsAsync(new ListDecisionsRequest { Kinds = { DecisionKind.Rename } })).Decisions.Select(d => d.Name));
        Assert.Equal(["decisions/qd-337"], (await client.ListDecisionsAsync(new ListDecisionsRequest { Number = "337/qd", Committee = Drafts.GiaLaiCommittee })).Decisions.Select(d => d.Name));
        var firstPage = await client.ListDecisionsAsync(new ListDecisionsRequest { PageSize = 1 });
        var secondPage = await client.ListDecisionsAsync(new ListDecisionsRequest { PageSize = 1, PageToken = firstPage.NextPageToken });
        Assert.Equal(["decisions/qd-337", "decisions/qd-12"], firstPage.Decisions.Concat(secondPage.Decisions).Select(d => d.Name));

        await using var scope = host.CreateScope(out var db);
        var row = Assert.Single(await db.Set<OutboxMessage>().ToListAsync());
        Assert.Equal(issued, EventEnvelope.Parser.ParseFrom(row.Body).DecisionIssued.Decision);
    }

    [Fact]
    public async Task While_Membership_is_slow_the_database_stays_writable_and_another_decision_of_the_committee_is_issued()
    {
        var client = host.Client(Drafts.GiaLai);
        var slow = await client.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation() });
        var other = await client.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation("338/QĐ-UBND") });
        var gate = membership.HoldPreviewOf(slow.Name);
        var issuing = client.IssueDecisionAsync(new IssueDecisionRequest { Name = slow.Name }).ResponseAsync;
        await gate.Previewing;

        // SQLite has one writer: a transaction left open across the call to Membership would make this one wait.
        var otherIssued = await client.IssueDecisionAsync(new IssueDecisionRequest { Name = other.Name });
        gate.Open();
        var slowIssued = await issuing;

        await using var scope = host.CreateScope(out var db);
        var sequences = (await db.Set<OutboxMessage>().OrderBy(m => m.Sequence).ToListAsync())
            .Select(row => EventEnvelope.Parser.ParseFrom(row.Body))
            .Select(envelope => (envelope.Subject, envelope.DecisionIssued.CommitteeSequences[Drafts.GiaLaiCommittee]));
        Assert.Equal([(otherIssued.Name, 1L), (slowIssued.Name, 2L)], sequences);
    }
}
