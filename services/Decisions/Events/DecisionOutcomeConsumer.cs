using Egov.Steering.Decisions.Data;
using Egov.Steering.Decisions.Mapping;
using Egov.Steering.Events.V1;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Inbox;
using Egov.Steering.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Decision = Egov.Steering.Decisions.Domain.Decision;

namespace Egov.Steering.Decisions.Events;

/// <summary>
/// Records Membership's outcome of an issued decision (DecisionApplied / DecisionRejected) exactly once, through the
/// inbox. When a revoking decision is applied, the revoked decision becomes REVOKED (and DecisionRevoked is emitted in
/// the same transaction); when a decision is applied, those it supersedes become SUPERSEDED.
/// </summary>
internal sealed partial class DecisionOutcomeConsumer(
    DecisionsDbContext db, TimeProvider time, MessagingMetrics messagingMetrics, ILogger<DecisionOutcomeConsumer> logger)
    : InboxConsumer<DecisionsDbContext, EventEnvelope>(db, messagingMetrics, logger)
{
    protected override string ConsumerName => "decision-outcome";

    protected override async Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        switch (envelope.EventCase)
        {
            case EventEnvelope.EventOneofCase.DecisionApplied:
                if (await FindAsync(envelope.DecisionApplied.Decision, cancellationToken) is { } applied && applied.RecordApplied(now))
                {
                    await EndEarlierDecisionsAsync(applied, envelope, now, cancellationToken);
                }

                break;
            case EventEnvelope.EventOneofCase.DecisionRejected:
                if (await FindAsync(envelope.DecisionRejected.Decision, cancellationToken) is { } rejected)
                {
                    rejected.RecordRejected(envelope.DecisionRejected.Reasons.Select(reason => reason.ToDomain()).ToList(), now);
                }

                break;
        }
    }

    private async Task EndEarlierDecisionsAsync(Decision applied, EventEnvelope cause, DateTime now, CancellationToken cancellationToken)
    {
        if (applied.Revokes.Length > 0 && await FindAsync(applied.Revokes, cancellationToken) is { } revoked)
        {
            revoked.MarkRevoked(applied.Name, now);
            Db.AddOutboxEvent(DecisionEvents.Revoked(revoked, applied, cause, now));
        }

        foreach (var name in applied.Supersedes)
        {
            if (await FindAsync(name, cancellationToken) is { } superseded)
            {
                superseded.MarkSuperseded(applied.Name, now);
            }
        }
    }

    private async Task<Decision?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var id = name.StartsWith(Decision.Collection + "/", StringComparison.Ordinal) ? name[(Decision.Collection.Length + 1)..] : name;
        var decision = await Db.Decisions.SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (decision is null)
        {
            LogUnknownDecision(name);
        }

        return decision;
    }

    [LoggerMessage(LogLevel.Warning, "Outcome for {Decision}, which is not recorded here; ignored")]
    private partial void LogUnknownDecision(string decision);
}
