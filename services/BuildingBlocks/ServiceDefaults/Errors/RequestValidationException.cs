using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace Egov.Steering.ServiceDefaults.Errors;

/// <summary>One problem with one request field: the field path (e.g. <c>committee.display_name</c>) and why.</summary>
public sealed record FieldViolation(string Field, string Description);

/// <summary>The request is malformed: INVALID_ARGUMENT with every violation found as google.rpc.BadRequest.</summary>
public sealed class RequestValidationException(IReadOnlyList<FieldViolation> violations)
    : ApiException(StatusCode.InvalidArgument, "INVALID_REQUEST", Describe(violations))
{
    public RequestValidationException(string field, string description)
        : this([new FieldViolation(field, description)])
    {
    }

    public IReadOnlyList<FieldViolation> Violations { get; } = violations;

    protected override IEnumerable<IMessage> Details()
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.Add(Violations.Select(violation =>
            new BadRequest.Types.FieldViolation { Field = violation.Field, Description = violation.Description }));
        return [badRequest];
    }

    private static string Describe(IReadOnlyList<FieldViolation> violations) =>
        "invalid request: " + string.Join("; ", violations.Select(violation => $"{violation.Field}: {violation.Description}"));
}
