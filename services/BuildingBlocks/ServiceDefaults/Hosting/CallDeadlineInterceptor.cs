using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Egov.Steering.ServiceDefaults.Hosting;

/// <summary>Makes the call's deadline <see cref="CallDeadlines.Current"/> for everything its handler runs.</summary>
public sealed class CallDeadlineInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        CallDeadlines.Current = DeadlineOf(context);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        CallDeadlines.Current = DeadlineOf(context);
        await continuation(request, responseStream, context);
    }

    private static DateTime? DeadlineOf(ServerCallContext context) =>
        context.Deadline == DateTime.MaxValue ? null : context.Deadline.ToUniversalTime();
}
