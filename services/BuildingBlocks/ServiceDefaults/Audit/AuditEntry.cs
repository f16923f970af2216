namespace Egov.Steering.ServiceDefaults.Audit;

/// <summary>
/// One accepted write, recorded in the write's own transaction, or one refused call of a write or admin method
/// (table <c>audit_records</c>).
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; init; }

    /// <summary>When the write committed, or the call was refused (UTC).</summary>
    public required DateTime OccurredAt { get; init; }

    /// <summary>The caller's <c>sub</c> claim (of a refused call: as far as known, else empty).</summary>
    public required string Subject { get; init; }

    /// <summary>The caller's organisation code.</summary>
    public required string Organisation { get; init; }

    /// <summary>The full gRPC method, e.g. "/egov.steering.membership.v1.MembershipService/CreateCommittee".</summary>
    public required string Method { get; init; }

    /// <summary>The resource name written (of a refused call: the one the request names, if known).</summary>
    public required string Resource { get; init; }

    /// <summary>The client's request id (canonical UUID text), or null when it sent none.</summary>
    public string? RequestId { get; init; }

    /// <summary>The gRPC status code of a refused call (UNAUTHENTICATED or PERMISSION_DENIED); null for an accepted write.</summary>
    public int? RefusedCode { get; init; }

    /// <summary>The ErrorInfo reason of a refused call, e.g. "TOKEN_EXPIRED" or "OTHER_ORGANISATION".</summary>
    public string? RefusedReason { get; init; }

    /// <summary>How many refusals of the same caller were not recorded (rate limit) since its previous recorded one.</summary>
    public int SuppressedRefusals { get; init; }
}
