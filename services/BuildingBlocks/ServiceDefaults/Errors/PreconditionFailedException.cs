using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace Egov.Steering.ServiceDefaults.Errors;

/// <summary>
/// One unmet precondition: <paramref name="Type"/> is a service-specific kind (e.g. "MEMBERSHIP"),
/// <paramref name="Subject"/> what failed (e.g. a resource name), <paramref name="Description"/> how to fix it.
/// </summary>
public sealed record PreconditionViolation(string Type, string Subject, string Description);

/// <summary>
/// FAILED_PRECONDITION: the request is well-formed but the system is not in a state that allows it
/// (e.g. issuing a decision that is not a draft); the caller must change the state first, not just retry.
/// </summary>
public sealed class PreconditionFailedException(
    string reason,
    string message,
    IReadOnlyList<PreconditionViolation>? violations = null)
    : ApiException(StatusCode.FailedPrecondition, reason, message)
{
    public IReadOnlyList<PreconditionViolation> Violations { get; } = violations ?? [];

    protected override IEnumerable<IMessage> Details()
    {
        if (Violations.Count == 0)
        {
            return [];
        }

        var failure = new PreconditionFailure();
        failure.Violations.Add(Violations.Select(violation => new PreconditionFailure.Types.Violation
        {
            Type = violation.Type,
            Subject = violation.Subject,
            Description = violation.Description,
        }));
        return [failure];
    }
}

/// <summary>PERMISSION_DENIED: the authenticated caller may not do this (e.g. write another organisation's committee).</summary>
public sealed class PermissionDeniedException(string reason, string message)
    : ApiException(StatusCode.PermissionDenied, reason, message);
