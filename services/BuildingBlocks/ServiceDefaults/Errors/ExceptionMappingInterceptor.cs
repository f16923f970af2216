using System.Diagnostics;
using Egov.Steering.ServiceDefaults.Hosting;
using Egov.Steering.ServiceDefaults.Telemetry;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.ServiceDefaults.Errors;

/// <summary>
/// Turns every exception a gRPC method throws into a deliberate status: <see cref="ApiException"/>s become their
/// rich google.rpc.Status, cancellation becomes CANCELLED, a database that cannot be reached becomes UNAVAILABLE
/// (safe to retry with the same request_id), and anything else INTERNAL carrying only a trace id: the stack trace
/// and message stay in the server log, where the trace id finds them. Every status leaves within <see cref="ErrorBounds"/>,
/// also an RpcException a method throws as it is.
/// </summary>
public sealed partial class ExceptionMappingInterceptor(ServiceMetrics metrics, ILogger<ExceptionMappingInterceptor> logger) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        var call = ServerCallSteps.Continue(continuation, request, context);

        // An answer at hand (a cached view) needs no state machine to pass through.
        return call.IsCompletedSuccessfully ? call : MappedAsync(call, context);
    }

    private async Task<TResponse> MappedAsync<TResponse>(Task<TResponse> call, ServerCallContext context)
    {
        try
        {
            return await call;
        }
        catch (Exception exception)
        {
            throw Map(exception, context.Method, context.Deadline, context.GetHttpContext());
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception exception)
        {
            throw Map(exception, context.Method, context.Deadline, context.GetHttpContext());
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception exception)
        {
            throw Map(exception, context.Method, context.Deadline, context.GetHttpContext());
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception exception)
        {
            throw Map(exception, context.Method, context.Deadline, context.GetHttpContext());
        }
    }

    /// <summary>
    /// The status a call of <paramref name="method"/> ends with when it throws <paramref name="exception"/>; also for
    /// the calls served outside gRPC's pipeline (the event feed's server-sent events).
    /// </summary>
    public RpcException Map(Exception exception, string method, DateTime deadline, HttpContext http)
    {
        if (exception is RpcException rpc)
        {
            return ErrorBounds.Bound(rpc);
        }

        if (exception is ApiException api)
        {
            // Expected outcomes: logged without the message, which may quote the caller's input.
            LogApiError(method, api.Code, api.Reason);
            metrics.RecordRefused(api.Code, api.Reason);
            return api.ToRpcException();
        }

        return exception switch
        {
            // Whatever ended the handler once its deadline passed (a cancelled query, a connection open given up): the deadline.
            _ when deadline <= DateTime.UtcNow => new RpcException(new Grpc.Core.Status(StatusCode.DeadlineExceeded, "the call's deadline passed")),
            OperationCanceledException => new RpcException(new Grpc.Core.Status(StatusCode.Cancelled, "the call was cancelled")),
            DbUpdateConcurrencyException => Failure(
                StatusCode.Aborted, "CONCURRENT_MODIFICATION", "the resource was changed by another request; read it again and retry", exception, method, http),
            _ when TransientFailures.Caused(exception) => Failure(
                StatusCode.Unavailable, "DEPENDENCY_UNAVAILABLE", "a dependency of the service is unavailable; retry later", exception, method, http),
            _ => Failure(StatusCode.Internal, "INTERNAL_ERROR", "internal error", exception, method, http),
        };
    }

    private RpcException Failure(StatusCode code, string reason, string message, Exception exception, string method, HttpContext http)
    {
        var traceId = Activity.Current?.TraceId.ToHexString() ?? http.TraceIdentifier;
        LogFailure(exception, method, code, traceId);
        var info = new ErrorInfo { Domain = ApiException.ErrorDomain, Reason = reason };
        info.Metadata["trace_id"] = traceId;
        var status = new Google.Rpc.Status { Code = (int)code, Message = $"{message}; trace id {traceId}" };
        status.Details.Add(Any.Pack(info));
        return status.ToRpcException();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} refused: {StatusCode} {Reason}")]
    private partial void LogApiError(string method, StatusCode statusCode, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} failed with {StatusCode}; trace id {TraceId}")]
    private partial void LogFailure(Exception exception, string method, StatusCode statusCode, string traceId);
}
