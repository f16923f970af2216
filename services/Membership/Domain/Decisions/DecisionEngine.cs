namespace Egov.Steering.Membership.Domain.Decisions;

/// <summary>
/// Applies a decision's changes to the register, in order, checking every invariant. The one code path for the dry
/// run (<see cref="Preview"/>, behind PreviewChanges) and the real thing (<see cref="Apply"/>, behind DecisionIssued).
/// </summary>
public static class DecisionEngine
{
    /// <summary>What applying the decision would do; the register is not changed.</summary>
    public static DecisionOutcome Preview(Register register, DecisionToApply decision)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(decision);
        return IsRepeat(register, decision) ? AlreadyApplied : new DecisionRun(register.Clone(), decision).Execute();
    }

    /// <summary>
    /// Applies every change, or none: a decision with problems leaves the register untouched and returns them all.
    /// A decision already applied changes nothing and returns <see cref="DecisionResult.AlreadyApplied"/>.
    /// </summary>
    public static DecisionOutcome Apply(Register register, DecisionToApply decision)
    {
        var dryRun = Preview(register, decision);
        return dryRun.Result == DecisionResult.Applied ? new DecisionRun(register, decision).Execute() : dryRun;
    }

    private static DecisionOutcome AlreadyApplied { get; } = new(DecisionResult.AlreadyApplied, [], [], []);

    private static bool IsRepeat(Register register, DecisionToApply decision) =>
        decision.DecisionId.Length > 0 && register.IsApplied(decision.DecisionId);
}
