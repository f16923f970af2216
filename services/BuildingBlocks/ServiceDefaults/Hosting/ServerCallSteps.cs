using System.Runtime.CompilerServices;
using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Validation;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Egov.Steering.ServiceDefaults.Hosting;

/// <summary>
/// The steps every gRPC call passes, outermost first: its errors mapped (<see cref="ExceptionMappingInterceptor"/>),
/// the refusals its method decides audited (<see cref="RefusedCallInterceptor"/>), its deadline made current
/// (<see cref="CallDeadlineInterceptor"/>), its request held to the limits (<see cref="RequestInputInterceptor"/>) —
/// registered with gRPC as one interceptor. gRPC runs each registered interceptor in an async step of its own (the
/// interceptor resolved from the call's services and released, two state machines); here the steps are chained once
/// per method, and a call its method answers at once (a cached view, a health check) passes them without a state
/// machine.
/// </summary>
public sealed class ServerCallSteps(
    ExceptionMappingInterceptor errors, RefusedCallInterceptor refusals, CallDeadlineInterceptor deadlines, RequestInputInterceptor input)
    : Interceptor
{
    private readonly Interceptor[] innermostFirst = [input, deadlines, refusals, errors];

    // Keyed by the method gRPC passes on (one delegate per method, built once with its pipeline); weakly, so a
    // continuation made per call could never grow it.
    private readonly ConditionalWeakTable<Delegate, Delegate> chains = [];

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        Chained(continuation, static (step, next) => (request, context) => step.UnaryServerHandler(request, context, next))(request, context);

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        Chained(continuation, static (step, next) => (requests, context) => step.ClientStreamingServerHandler(requests, context, next))(requestStream, context);

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        Chained(continuation, static (step, next) => (request, responses, context) => step.ServerStreamingServerHandler(request, responses, context, next))(
            request, responseStream, context);

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        Chained(continuation, static (step, next) => (requests, responses, context) => step.DuplexStreamingServerHandler(requests, responses, context, next))(
            requestStream, responseStream, context);

    /// <summary>
    /// Runs a step's continuation, a synchronous throw (an inner step's check) as a faulted task: a step that passes an
    /// answer at hand through untouched handles every failure once, where it awaits.
    /// </summary>
    internal static Task<TResponse> Continue<TRequest, TResponse>(
        UnaryServerMethod<TRequest, TResponse> continuation, TRequest request, ServerCallContext context)
        where TRequest : class
        where TResponse : class
    {
        try
        {
            return continuation(request, context);
        }
        catch (Exception exception)
        {
            return Task.FromException<TResponse>(exception);
        }
    }

    private TMethod Chained<TMethod>(TMethod method, Func<Interceptor, TMethod, TMethod> around)
        where TMethod : Delegate
    {
        if (chains.TryGetValue(method, out var chain))
        {
            return (TMethod)chain;
        }

        var outermost = method;
        foreach (var step in innermostFirst)
        {
            outermost = around(step, outermost);
        }

        return (TMethod)chains.GetValue(method, _ => outermost);
    }
}
