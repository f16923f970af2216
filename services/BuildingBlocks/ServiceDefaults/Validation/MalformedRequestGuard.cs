using System.Reflection;
using System.Text;
using Egov.Steering.ServiceDefaults.Errors;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.ServiceDefaults.Validation;

/// <summary>
/// INVALID_ARGUMENT for a request body that is not a valid message (invalid UTF-8 in a string, truncated or garbage
/// protobuf, nesting deeper than the parser's limit of 100). Grpc.AspNetCore reads the body with the method's request
/// marshaller before any interceptor runs, and reports whatever that throws as UNKNOWN with an error log; so this
/// method provider binds every method of every service — as Grpc.AspNetCore's own provider does, from the generated
/// BindService — with a request marshaller that turns a parse failure into the status.
/// </summary>
public static class MalformedRequestGuard
{
    /// <summary>Replaces Grpc.AspNetCore's method provider (call after AddGrpc).</summary>
    public static IServiceCollection AddMalformedRequestGuard(this IServiceCollection services)
    {
        var binderProviders = services
            .Where(d => d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType?.Name.StartsWith("BinderServiceMethodProvider", StringComparison.Ordinal) == true)
            .ToList();
        if (binderProviders.Count == 0)
        {
            throw new InvalidOperationException("Grpc.AspNetCore's BinderServiceMethodProvider is not registered: call AddGrpc first, or this version binds methods differently");
        }

        binderProviders.ForEach(d => services.Remove(d));
        services.TryAddSingleton<MalformedRequestLog>();
        services.TryAddEnumerable(Microsoft.Extensions.DependencyInjection.ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(GuardedMethodProvider<>)));
        return services;
    }

    internal static Method<TRequest, TResponse> Guard<TRequest, TResponse>(Method<TRequest, TResponse> method, MalformedRequestLog log)
        where TRequest : class
        where TResponse : class
    {
        var requestType = (typeof(TRequest).GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as MessageDescriptor)?.FullName
            ?? typeof(TRequest).Name;
        var inner = method.RequestMarshaller;
        var marshaller = Marshallers.Create(inner.ContextualSerializer, context =>
        {
            try
            {
                return inner.ContextualDeserializer(context);
            }
            catch (Exception exception) when (exception is InvalidProtocolBufferException or DecoderFallbackException)
            {
                var reason = exception is DecoderFallbackException ? "a string field is not valid UTF-8" : exception.Message;
                log.Refused(method.FullName, reason);
                throw new MalformedRequestException(requestType, reason).ToRpcException();
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }
}

/// <summary>Binds <typeparamref name="TService"/>'s methods with guarded request marshallers.</summary>
internal sealed class GuardedMethodProvider<TService>(MalformedRequestLog log) : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        // The generated base class carries [BindServiceMethod] naming the static BindService(binder, base) to call.
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } bind)
            {
                var bindService = bind.BindType.GetMethod(
                    bind.BindMethodName, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), type])
                    ?? throw new InvalidOperationException($"{bind.BindType}.{bind.BindMethodName} not found");
                bindService.Invoke(null, [new Binder(context, type, log), null]);
                return;
            }
        }
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, Type generatedBase, MalformedRequestLog log) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Handler<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext));
            context.AddUnaryMethod(MalformedRequestGuard.Guard(method, log), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Handler<ServerStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddServerStreamingMethod(MalformedRequestGuard.Guard(method, log), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Handler<ClientStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
            context.AddClientStreamingMethod(MalformedRequestGuard.Guard(method, log), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Handler<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddDuplexStreamingMethod(MalformedRequestGuard.Guard(method, log), metadata, invoker);
        }

        // The service's override of the generated method, and its attributes after the class's ([Authorize] and the like),
        // the order in which endpoint metadata takes precedence.
        private (TDelegate Invoker, List<object> Metadata) Handler<TDelegate>(string name, params Type[] parameters)
            where TDelegate : Delegate
        {
            var implementation = typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters)
                ?? throw new InvalidOperationException($"{typeof(TService)} has no method {name}");
            if (implementation.GetBaseDefinition().DeclaringType != generatedBase)
            {
                throw new InvalidOperationException($"{typeof(TService)}.{name} hides the generated method instead of overriding it");
            }

            List<object> metadata = [.. typeof(TService).GetCustomAttributes(inherit: true), .. implementation.GetCustomAttributes(inherit: true)];
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), implementation), metadata);
        }
    }
}

/// <summary>One warning per minute at most for refused malformed bodies, with how many it stands for: a flood cannot flood the log.</summary>
internal sealed partial class MalformedRequestLog(ILogger<MalformedRequestLog> logger)
{
    private static readonly long Interval = (long)TimeSpan.FromMinutes(1).TotalMilliseconds;
    private long nextWarningAt;
    private int refusedSinceWarning;

    public void Refused(string method, string reason)
    {
        var refused = Interlocked.Increment(ref refusedSinceWarning);
        var now = Environment.TickCount64;
        var next = Interlocked.Read(ref nextWarningAt);
        if (now >= next && Interlocked.CompareExchange(ref nextWarningAt, now + Interval, next) == next)
        {
            Interlocked.Add(ref refusedSinceWarning, -refused);
            LogRefused(method, ErrorBounds.Truncate(reason), refused);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a malformed request to {Method} ({Reason}); {Count} malformed requests since the last such warning")]
    private partial void LogRefused(string method, string reason, int count);
}
