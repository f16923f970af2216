namespace Egov.Steering.Decisions;

/// <summary>Settings of the Decisions service, bound from the configuration section <c>Decisions</c>.</summary>
public sealed class DecisionsOptions
{
    public const string SectionName = "Decisions";

    /// <summary>How long one call to Membership (PreviewChanges, GetCommittee) may take before it counts as unreachable.</summary>
    public TimeSpan MembershipTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a decision may stay ISSUED without Membership's outcome before it is reported as overdue.</summary>
    public TimeSpan OutcomeTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the overdue-outcome check runs.</summary>
    public TimeSpan OutcomeCheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}
