using Egov.Steering.Membership.Domain;

namespace Egov.Steering.Membership.Data;

/// <summary>
/// A committee's latest compliance evaluation (as of the day it ran): what listings filter on, and what tells
/// whether a re-evaluation flipped the status (ComplianceChanged).
/// </summary>
public sealed class CommitteeComplianceRecord
{
    public required string CommitteeId { get; init; }

    public ComplianceStatus Status { get; set; }

    public List<StoredFinding> Findings { get; set; } = [];

    public DateTime EvaluatedAt { get; set; }
}

public sealed class StoredFinding
{
    public required string RuleId { get; init; }

    public ComplianceStatus Status { get; init; }

    public required string Explanation { get; init; }
}
