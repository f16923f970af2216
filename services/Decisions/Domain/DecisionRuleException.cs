namespace Egov.Steering.Decisions.Domain;

/// <summary>
/// The decision's state or content does not allow what was asked: the caller must change it first, not retry (the
/// API's FAILED_PRECONDITION). <see cref="Reason"/> is a stable UPPER_SNAKE code; each violation says what to fix.
/// </summary>
public sealed class DecisionRuleException(string reason, string message, IReadOnlyList<RuleViolation> violations)
    : Exception(message)
{
    public string Reason { get; } = reason;

    public IReadOnlyList<RuleViolation> Violations { get; } = violations;
}

/// <summary>One unmet rule: its <paramref name="Type"/> (e.g. "STATE" or a problem's reason) and what it is about.</summary>
public sealed record RuleViolation(string Type, string Subject, string Description);
