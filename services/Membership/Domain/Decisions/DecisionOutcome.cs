namespace Egov.Steering.Membership.Domain.Decisions;

/// <summary>
/// One reason a decision cannot be applied: <paramref name="Field"/> is the path in the decision
/// ("changes[3].appoint.entry.holder.post"), <paramref name="Reason"/> a stable UPPER_SNAKE code.
/// </summary>
public sealed record Problem(string Field, string Reason, string Description);

public enum DecisionResult
{
    /// <summary>Every change applied (or, for a preview, would apply).</summary>
    Applied,

    /// <summary>At least one problem: nothing applied.</summary>
    Rejected,

    /// <summary>The decision had been applied before: nothing changed, no events.</summary>
    AlreadyApplied,
}

/// <summary>What applying a decision did (or would do): the problems, or the events in order and the committees touched.</summary>
public sealed record DecisionOutcome(
    DecisionResult Result,
    IReadOnlyList<Problem> Problems,
    IReadOnlyList<DomainEvent> Events,
    IReadOnlyList<string> AffectedCommitteeIds);
