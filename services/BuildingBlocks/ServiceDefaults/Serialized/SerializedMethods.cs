using Egov.Steering.ServiceDefaults.Validation;
using Google.Protobuf;
using Grpc.AspNetCore.Server;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Egov.Steering.ServiceDefaults.Serialized;

/// <summary>
/// A singleton that answers some methods of a generated gRPC service with <see cref="SerializedMessage"/>s: same
/// route, same request, same bytes on the wire as the generated service, minus the response's serialization. It
/// declares its methods in <see cref="Bind"/>.
/// </summary>
public interface ISerializedMethods<TService>
    where TService : class, ISerializedMethods<TService>
{
    static abstract void Bind(SerializedMethodBinder<TService> binder);
}

/// <summary>
/// Binds methods of <typeparamref name="TService"/>; a request that is no valid message is INVALID_ARGUMENT, as for
/// every generated method (<see cref="MalformedRequestGuard"/>).
/// </summary>
public sealed class SerializedMethodBinder<TService>
    where TService : class
{
    private readonly ServiceMethodProviderContext<TService> context;
    private readonly MalformedRequestLog log;

    internal SerializedMethodBinder(ServiceMethodProviderContext<TService> context, MalformedRequestLog log)
    {
        this.context = context;
        this.log = log;
    }

    public void Unary<TRequest>(
        ServiceDescriptor service, string name, MessageParser<TRequest> parser, UnaryServerMethod<TService, TRequest, SerializedMessage> invoker)
        where TRequest : class, IMessage<TRequest> =>
        context.AddUnaryMethod(MalformedRequestGuard.Guard(SerializedMethods.Unary(service, name, parser), log), [], invoker);

    public void ServerStreaming<TRequest>(
        ServiceDescriptor service, string name, MessageParser<TRequest> parser, ServerStreamingServerMethod<TService, TRequest, SerializedMessage> invoker)
        where TRequest : class, IMessage<TRequest> =>
        context.AddServerStreamingMethod(MalformedRequestGuard.Guard(SerializedMethods.ServerStreaming(service, name, parser), log), [], invoker);
}

public static class SerializedMethods
{
    /// <summary>The unary method <paramref name="name"/> of <paramref name="service"/>, answered with pre-serialized bytes (a client can call it too).</summary>
    public static Method<TRequest, SerializedMessage> Unary<TRequest>(ServiceDescriptor service, string name, MessageParser<TRequest> parser)
        where TRequest : class, IMessage<TRequest> =>
        Of(service, name, parser, MethodType.Unary);

    /// <summary>The server-streaming method <paramref name="name"/> of <paramref name="service"/>, streaming pre-serialized bytes.</summary>
    public static Method<TRequest, SerializedMessage> ServerStreaming<TRequest>(ServiceDescriptor service, string name, MessageParser<TRequest> parser)
        where TRequest : class, IMessage<TRequest> =>
        Of(service, name, parser, MethodType.ServerStreaming);

    /// <summary>Registers <typeparamref name="TService"/> (one instance for every call) and the methods it binds.</summary>
    public static IServiceCollection AddSerializedMethods<TService>(this IServiceCollection services)
        where TService : class, ISerializedMethods<TService>
    {
        services.TryAddSingleton<TService>();
        services.TryAddSingleton<MalformedRequestLog>();
        services.TryAddEnumerable(Microsoft.Extensions.DependencyInjection.ServiceDescriptor.Singleton<IServiceMethodProvider<TService>, Provider<TService>>());
        return services;
    }

    /// <summary>
    /// Maps the methods of <typeparamref name="TService"/> ahead of the generated service's same routes (which stay
    /// mapped for the methods it does not bind), with the same interceptors and authorization. Only the bound methods
    /// go ahead: gRPC maps its catch-alls for unknown methods and services with the first service mapped, and ahead of
    /// the other routes they would answer UNIMPLEMENTED for methods that exist.
    /// </summary>
    public static GrpcServiceEndpointConventionBuilder MapSerializedMethods<TService>(this IEndpointRouteBuilder endpoints)
        where TService : class, ISerializedMethods<TService>
    {
        var mapped = endpoints.MapGrpcService<TService>();
        mapped.Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<GrpcMethodMetadata>().Any())
            {
                ((RouteEndpointBuilder)endpoint).Order = -1;
            }
        });
        return mapped;
    }

    private static Method<TRequest, SerializedMessage> Of<TRequest>(ServiceDescriptor service, string name, MessageParser<TRequest> parser, MethodType type)
        where TRequest : class, IMessage<TRequest>
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(parser);
        var method = service.FindMethodByName(name) ?? throw new ArgumentException($"{service.FullName} has no method {name}", nameof(name));
        if (method.InputType.ClrType != typeof(TRequest) || method.IsClientStreaming || method.IsServerStreaming != (type == MethodType.ServerStreaming))
        {
            throw new ArgumentException($"{method.FullName} is not a {type} method taking {typeof(TRequest).Name}", nameof(name));
        }

        return new Method<TRequest, SerializedMessage>(type, service.FullName, name, RequestMarshaller(parser), SerializedMessage.Marshaller);
    }

    private static Marshaller<TRequest> RequestMarshaller<TRequest>(MessageParser<TRequest> parser)
        where TRequest : class, IMessage<TRequest> =>
        Marshallers.Create<TRequest>(
            (request, context) => context.Complete(request.ToByteArray()),
            context => parser.ParseFrom(context.PayloadAsReadOnlySequence()));

    private sealed class Provider<TService>(MalformedRequestLog log) : IServiceMethodProvider<TService>
        where TService : class, ISerializedMethods<TService>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context) =>
            TService.Bind(new SerializedMethodBinder<TService>(context, log));
    }
}
