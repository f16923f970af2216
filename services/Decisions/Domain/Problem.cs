namespace Egov.Steering.Decisions.Domain;

/// <summary>
/// One reason a decision cannot be issued or was not applied: <paramref name="Field"/> is the path in the decision
/// ("changes[3].appoint.committee"), <paramref name="Reason"/> a stable UPPER_SNAKE code.
/// </summary>
public sealed record Problem(string Field, string Reason, string Description);
