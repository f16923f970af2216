namespace Egov.Steering.Writes;

/// <summary>
/// The first answer to a write that carried a <c>request_id</c>, kept so that a retry by the same caller gets it
/// again. Keyed by caller and request id: two callers may pick the same id without seeing each other's answers.
/// </summary>
public sealed class IdempotencyRecord
{
    public required string CallerOrganisation { get; init; }

    public required string CallerSubject { get; init; }

    public required Guid RequestId { get; init; }

    /// <summary>The full gRPC method of the first request.</summary>
    public required string Method { get; init; }

    /// <summary>SHA-256 of the first request's protobuf encoding: a retry must send the same request.</summary>
    public required byte[] RequestHash { get; init; }

    /// <summary>The protobuf encoding of the first answer.</summary>
    public required byte[] Response { get; init; }

    /// <summary>When the write committed (UTC); records older than the retention period are purged.</summary>
    public required DateTime CreatedAt { get; init; }
}
