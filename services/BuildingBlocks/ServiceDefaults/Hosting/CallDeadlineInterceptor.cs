using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Egov.Steering.ServiceDefaults.Hosting;

/// <summary>Makes the call's deadline <see cref="CallDeadlines.Current"/> for everything its handler runs.</summary>
public sealed class CallDeadlineInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return UnderDeadlineOf(context, (continuation, request, context), static call => call.continuation(call.request, call.context));
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return UnderDeadlineOf(
            context, (continuation, request, responseStream, context), static call => call.continuation(call.request, call.responseStream, call.context));
    }

    /// <summary>
    /// Runs the handler with the call's deadline current, and puts the caller's back once the handler has returned its
    /// task: what the handler awaits carries the deadline on in its own execution context.
    /// </summary>
    private static TTask UnderDeadlineOf<TCall, TTask>(ServerCallContext context, TCall call, Func<TCall, TTask> handler)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = CallDeadlines.Current;
        CallDeadlines.Current = context.Deadline == DateTime.MaxValue ? null : context.Deadline.ToUniversalTime();
        try
        {
            return handler(call);
        }
        finally
        {
            CallDeadlines.Current = caller;
        }
    }
}
