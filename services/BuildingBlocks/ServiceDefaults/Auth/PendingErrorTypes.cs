using Google.Rpc;

namespace Egov.Steering.ServiceDefaults.Errors;

// Stand-ins for the error types of ServiceDefaults/Errors (hosting helper, branch h-hosting) until that branch is
// merged; this file is deleted at that merge.

public sealed class PermissionDeniedException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}

public sealed class RequestValidationException(IReadOnlyList<BadRequest.Types.FieldViolation> violations)
    : Exception(string.Join("; ", violations.Select(violation => $"{violation.Field}: {violation.Description}")))
{
    public IReadOnlyList<BadRequest.Types.FieldViolation> Violations { get; } = violations;
}
