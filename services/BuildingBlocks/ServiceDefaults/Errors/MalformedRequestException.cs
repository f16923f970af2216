using Grpc.Core;

namespace Egov.Steering.ServiceDefaults.Errors;

/// <summary>INVALID_ARGUMENT: the request body is not a valid message of the method's request type (it could not be parsed).</summary>
public sealed class MalformedRequestException(string requestType, string reason)
    : ApiException(StatusCode.InvalidArgument, "MALFORMED_REQUEST", $"the request is not a valid {requestType}: {reason}");
