using Egov.Steering.Events.V1;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.Membership.UseCases;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Inbox;
using Egov.Steering.Messaging.Outbox;

namespace Egov.Steering.Membership.Events;

/// <summary>
/// Applies an issued decision in one transaction with its inbox record (<see cref="DecisionApplicationUseCase"/>); or,
/// if anything is wrong, nothing but DecisionRejected with every reason. A decision applied before changes nothing and
/// emits nothing.
/// </summary>
public sealed partial class DecisionIssuedHandler(
    MembershipDbContext db,
    RegisterStore store,
    DecisionApplicationUseCase application,
    TimeProvider time,
    MembershipMetrics metrics,
    MessagingMetrics messagingMetrics,
    ILogger<DecisionIssuedHandler> logger)
    : InboxConsumer<MembershipDbContext, EventEnvelope>(db, messagingMetrics, logger)
{
    protected override string ConsumerName => "membership-decision-issued";

    /// <summary>
    /// Each subject committee's decisions in issue order: a decision waits until every one of its committees' earlier
    /// decisions has been handled. One issued before Decisions numbered them is ordered by its own aggregate only.
    /// </summary>
    protected override IReadOnlyList<InboxOrdering> OrderingsOf(EventEnvelope message) =>
        message.DecisionIssued.CommitteeSequences.Count > 0
            ? [.. message.DecisionIssued.CommitteeSequences.Select(committee => new InboxOrdering(committee.Key, committee.Value))]
            : [new InboxOrdering(message.Aggregate, message.AggregateVersion)];

    protected override async Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var issued = envelope.DecisionIssued.Decision ?? new Egov.Steering.Decisions.V1.Decision();
        var cause = EventCause.Of(envelope);
        var now = time.GetUtcNow().UtcDateTime;
        var (decision, problems) = ChangeMapper.FromDecision(issued);
        if (decision is null)
        {
            await RejectAsync(issued, problems, cause, now, cancellationToken);
            return;
        }

        var outcome = await application.ApplyAsync(decision, cause, now, cancellationToken);
        if (outcome.Result == DecisionResult.Rejected)
        {
            await RejectAsync(issued, outcome.Problems, cause, now, cancellationToken);
            return;
        }

        if (outcome.Result == DecisionResult.AlreadyApplied)
        {
            LogAlreadyApplied(issued.Name);
            AfterCommit(() => metrics.DecisionHandled("already_applied"));
            return;
        }

        LogApplied(issued.Name, outcome.Events.Count, outcome.AffectedCommitteeIds.Count);
        AfterCommit(() => metrics.DecisionHandled("applied"));
    }

    private async Task RejectAsync(
        Egov.Steering.Decisions.V1.Decision issued, IReadOnlyList<Problem> reasons, EventCause cause, DateTime now, CancellationToken cancellationToken)
    {
        var subjects = issued.SubjectCommittees.Select(ResourceNames.Committee.Match).OfType<IReadOnlyList<string>>().Select(ids => ids[0]).ToList();
        var register = await store.LoadCommitteesAsync(subjects, cancellationToken);
        Db.AddOutboxEvent(MembershipEvents.Rejected(register, issued.Name, subjects, issued.OwnerOrganisation, reasons, cause, now));
        LogRejected(issued.Name, reasons.Count);
        AfterCommit(() => metrics.DecisionHandled("rejected"));
    }

    [LoggerMessage(LogLevel.Information, "Applied {Decision}: {Events} events, {Committees} committees")]
    private partial void LogApplied(string decision, int events, int committees);

    [LoggerMessage(LogLevel.Information, "Rejected {Decision} with {Reasons} reasons")]
    private partial void LogRejected(string decision, int reasons);

    [LoggerMessage(LogLevel.Information, "{Decision} was applied before: nothing to do")]
    private partial void LogAlreadyApplied(string decision);
}
