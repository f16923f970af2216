namespace Egov.Steering.ServiceDefaults.Audit;

/// <summary>One accepted write, recorded in the write's own transaction (table <c>audit_records</c>).</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }

    /// <summary>When the write committed (UTC).</summary>
    public required DateTime OccurredAt { get; init; }

    /// <summary>The caller's <c>sub</c> claim.</summary>
    public required string Subject { get; init; }

    /// <summary>The caller's organisation code.</summary>
    public required string Organisation { get; init; }

    /// <summary>The full gRPC method, e.g. "/egov.steering.membership.v1.MembershipService/CreateCommittee".</summary>
    public required string Method { get; init; }

    /// <summary>The resource name written.</summary>
    public required string Resource { get; init; }

    /// <summary>The client's request id (canonical UUID text), or null when it sent none.</summary>
    public string? RequestId { get; init; }
}
