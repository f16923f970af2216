using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Egov.Steering.ServiceDefaults.Web;

/// <summary>
/// A google.rpc.Status as the JSON/HTTP API answers it: the HTTP status of its code and the Status as proto3 JSON
/// with its details, as JSON transcoding writes a method's error, for the answers given outside a method (refused
/// tokens, the event stream).
/// </summary>
public static class JsonStatus
{
    /// <summary>The detail messages a status carries (ErrorInfo, BadRequest, ResourceInfo, PreconditionFailure...).</summary>
    public static TypeRegistry DetailTypes { get; } = TypeRegistry.FromFiles(Google.Rpc.ErrorDetailsReflection.Descriptor);

    public static JsonFormatter Formatter { get; } = new(JsonFormatter.Settings.Default.WithTypeRegistry(DetailTypes));

    /// <summary>The HTTP status of a gRPC code (google/rpc/code.proto's mapping, which JSON transcoding follows).</summary>
    public static int HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.OK => StatusCodes.Status200OK,
        StatusCode.Cancelled => 499,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static Task WriteAsync(HttpResponse response, Google.Rpc.Status status)
    {
        response.StatusCode = HttpStatusOf((StatusCode)status.Code);
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync(Formatter.Format(status));
    }
}
