using System.Diagnostics.Metrics;
using Egov.Steering.Decisions.Events;
using Egov.Steering.Decisions.Tests.Support;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Types.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.Decisions.Tests.Events;

/// <summary>
/// Membership's outcomes recorded through the inbox (in-memory bus, PostgreSQL), and decisions left without an outcome
/// reported by the overdue check (a log line and a gauge), never silently hanging.
/// </summary>
public sealed class OutcomeTests : IAsyncLifetime
{
    private FakeMembership membership = null!;
    private DecisionsHost host = null!;
    private DecisionsService.DecisionsServiceClient giaLai = null!;

    public async Task InitializeAsync()
    {
        membership = await FakeMembership.StartAsync();

        // Any decision issued before the check counts as overdue; the check itself runs when the test asks.
        host = await DecisionsHost.StartAsync(membership.Address, settings: new Dictionary<string, string?>
        {
            ["Decisions:OutcomeTimeout"] = "00:00:00.001",
            ["Decisions:OutcomeCheckInterval"] = "01:00:00",
        });
        giaLai = host.Client(Drafts.GiaLai);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await membership.DisposeAsync();
    }

    [Fact]
    public async Task Outcomes_are_recorded_and_shown_with_every_reason()
    {
        var applied = await giaLai.DraftAndIssueAsync(Drafts.GiaLaiConsolidation("1/QĐ-UBND"));
        var rejected = await giaLai.DraftAndIssueAsync(Drafts.GiaLaiConsolidation("2/QĐ-UBND"));
        var reasons = new[]
        {
            new ValidationProblem { Field = "changes[0].appoint.entry.roles", Reason = "SECOND_CHAIR", Description = "đã có Trưởng ban" },
            new ValidationProblem { Field = "changes[1].appoint.entry.holder.post", Reason = "UNKNOWN_POST", Description = "không có chức vụ này" },
        };

        var appliedEvent = Outcomes.Applied(applied.Name);
        await host.PublishAsync(appliedEvent);
        await host.PublishAsync(appliedEvent); // redelivered: handled once
        await host.PublishAsync(Outcomes.Rejected(rejected.Name, reasons));

        var appliedNow = await giaLai.WaitForStateAsync(applied.Name, DecisionState.Applied);
        var rejectedNow = await giaLai.WaitForStateAsync(rejected.Name, DecisionState.Rejected);
        Assert.NotNull(appliedNow.OutcomeTime);
        Assert.Empty(appliedNow.RejectionReasons);
        Assert.Equal(reasons, rejectedNow.RejectionReasons);
    }

    [Fact]
    public async Task A_decision_issued_without_outcome_is_reported_until_its_outcome_arrives()
    {
        var waiting = await giaLai.DraftAndIssueAsync(Drafts.GiaLaiConsolidation("3/QĐ-UBND"));
        await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation("4/QĐ-UBND") }); // a draft waits for no one
        var watch = host.App.Services.GetRequiredService<OutcomeWatch>();

        Assert.Equal([waiting.Name], await watch.CheckAsync(CancellationToken.None));
        Assert.Contains(host.Logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains(waiting.Name, StringComparison.Ordinal));
        Assert.Equal(1, ReadOverdueGauge());

        await host.PublishAsync(Outcomes.Applied(waiting.Name));
        await giaLai.WaitForStateAsync(waiting.Name, DecisionState.Applied);

        Assert.Empty(await watch.CheckAsync(CancellationToken.None));
        Assert.Equal(0, ReadOverdueGauge());
    }

    [Fact]
    public async Task An_applied_revocation_revokes_the_decision_and_an_applied_successor_supersedes_it()
    {
        var first = await giaLai.DraftAndIssueAsync(Drafts.GiaLaiConsolidation("5/QĐ-UBND"));
        await host.PublishAsync(Outcomes.Applied(first.Name));
        await giaLai.WaitForStateAsync(first.Name, DecisionState.Applied);
        var revoking = await giaLai.RevokeDecisionAsync(new RevokeDecisionRequest { Name = first.Name, RevokingDecision = Drafts.Revocation() });

        await host.PublishAsync(Outcomes.Applied(revoking.Name));

        var revoked = await giaLai.WaitForStateAsync(first.Name, DecisionState.Revoked);
        Assert.Equal(revoking.Name, revoked.RevokedBy);

        var old = await giaLai.DraftAndIssueAsync(Drafts.GiaLaiConsolidation("6/QĐ-UBND"));
        var successorDraft = Drafts.GiaLaiConsolidation("7/QĐ-UBND");
        successorDraft.Supersedes.Add(old.Name);
        var successor = await giaLai.DraftAndIssueAsync(successorDraft);
        await host.PublishAsync(Outcomes.Applied(successor.Name));
        Assert.Equal(successor.Name, (await giaLai.WaitForStateAsync(old.Name, DecisionState.Superseded)).SupersededBy);
    }

    private long ReadOverdueGauge()
    {
        long value = -1;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OutcomeWatch.MeterName && instrument.Name == OutcomeWatch.OverdueInstrument
                && ReferenceEquals(instrument.Meter.Scope, host.App.Services.GetRequiredService<IMeterFactory>()))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, _, _) => value = measurement);
        listener.Start();
        listener.RecordObservableInstruments();
        return value;
    }
}
