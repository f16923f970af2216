using Egov.Steering.Decisions.Domain;

namespace Egov.Steering.Decisions.UseCases;

/// <summary>
/// What this service asks Membership, which owns the membership rules: a dry run of a decision's changes, and the
/// committee a decision's events are routed by.
/// </summary>
public interface IMembershipChecks
{
    /// <summary>
    /// Membership's problems with the decision's changes (field paths relative to the decision), and the route of the
    /// decision's events: its first subject committee with level and jurisdiction (null when that committee is
    /// unknown, which is then one of the problems).
    /// </summary>
    Task<MembershipVerdict> CheckAsync(Decision decision, CancellationToken cancellationToken);
}

/// <summary>The problems found with a decision, and where its events go (null when its first committee is unknown).</summary>
public sealed record MembershipVerdict(IReadOnlyList<Problem> Problems, EventRoute? Route);
