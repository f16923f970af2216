namespace Egov.Steering.ServiceDefaults.Audit;

/// <summary>Configuration section <c>Audit</c>: how many refused calls one caller may add to the audit trail.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>Refusals of one caller recorded in a burst before the rate limit applies.</summary>
    public int RefusalBurst { get; set; } = 20;

    /// <summary>After a burst, one more refusal of that caller is recorded per interval; the others are counted.</summary>
    public TimeSpan RefusalInterval { get; set; } = TimeSpan.FromSeconds(6);
}
