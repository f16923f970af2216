using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Egov.Steering.ServiceDefaults.Hosting;

/// <summary>Makes the call's deadline <see cref="CallDeadlines.Current"/> for everything its handler runs.</summary>
public sealed class CallDeadlineInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var caller = CallDeadlines.Current;
        CallDeadlines.Current = DeadlineOf(context);
        try
        {
            // What the handler awaits carries the deadline on in its own execution context.
            return continuation(request, context);
        }
        finally
        {
            CallDeadlines.Current = caller;
        }
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var caller = CallDeadlines.Current;
        CallDeadlines.Current = DeadlineOf(context);
        try
        {
            return continuation(request, responseStream, context);
        }
        finally
        {
            CallDeadlines.Current = caller;
        }
    }

    private static DateTime? DeadlineOf(ServerCallContext context) =>
        context.Deadline == DateTime.MaxValue ? null : context.Deadline.ToUniversalTime();
}
