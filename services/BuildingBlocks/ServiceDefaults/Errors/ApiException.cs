using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Egov.Steering.ServiceDefaults.Errors;

/// <summary>
/// An error the caller must see as a specific gRPC status (google.rpc.Status with an ErrorInfo and the details
/// the code calls for), thrown anywhere in a service and turned into the status by <see cref="ExceptionMappingInterceptor"/>.
/// </summary>
public abstract partial class ApiException : Exception
{
    /// <summary>The ErrorInfo domain of every error this system returns.</summary>
    public const string ErrorDomain = "steering.egov.gov.vn";

    protected ApiException(StatusCode code, string reason, string message)
        : base(message)
    {
        // Clients switch on the reason, so a malformed one is a programming error caught at the throw site.
        if (!ReasonPattern().IsMatch(reason))
        {
            throw new ArgumentException($"error reason '{reason}' is not UPPER_SNAKE_CASE", nameof(reason));
        }

        Code = code;
        Reason = reason;
    }

    public StatusCode Code { get; }

    /// <summary>The ErrorInfo reason, UPPER_SNAKE_CASE, stable for clients to switch on.</summary>
    public string Reason { get; }

    /// <summary>The status clients see, within <see cref="ErrorBounds"/> however much of the request it quotes.</summary>
    public Google.Rpc.Status ToStatus()
    {
        var info = new ErrorInfo { Domain = ErrorDomain, Reason = Reason };
        foreach (var (key, value) in Metadata())
        {
            info.Metadata[key] = value;
        }

        var status = new Google.Rpc.Status { Code = (int)Code, Message = Message };
        status.Details.Add(Any.Pack(info));
        foreach (var detail in Details())
        {
            status.Details.Add(Any.Pack(detail));
        }

        return ErrorBounds.Bound(status);
    }

    public RpcException ToRpcException() => ToStatus().ToRpcException();

    /// <summary>Detail messages beside the ErrorInfo (BadRequest, ResourceInfo, PreconditionFailure...).</summary>
    protected virtual IEnumerable<IMessage> Details() => [];

    /// <summary>ErrorInfo metadata: machine-readable facts about the error (e.g. the resource name).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Metadata() => [];

    [GeneratedRegex("^[A-Z][A-Z0-9_]*[A-Z0-9]$")]
    private static partial Regex ReasonPattern();
}
