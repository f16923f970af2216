using System.Collections.Concurrent;
using System.Reflection;
using Egov.Steering.Events.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using MassTransit;

namespace Egov.Steering.Messaging.Serialization;

/// <summary>
/// The protobuf messages this process can read from the bus, by full proto name (the <c>proto</c> parameter of the
/// content type) and by MassTransit message-type URN (the <c>MT-MessageType</c> header). Every message of the
/// events/v1 contract is known from the start; services register any other contract they put on the bus.
/// </summary>
public sealed class ProtobufMessageTypes
{
    private readonly ConcurrentDictionary<string, MessageDescriptor> _byProtoName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MessageDescriptor> _byMessageUrn = new(StringComparer.OrdinalIgnoreCase);

    public ProtobufMessageTypes()
    {
        Register(EventsReflection.Descriptor);
    }

    /// <summary>Registers every message (nested ones included) declared in a .proto file.</summary>
    public void Register(FileDescriptor file)
    {
        foreach (var message in file.MessageTypes)
        {
            Register(message);
        }
    }

    /// <summary>Registers one generated message type and its nested types.</summary>
    public void Register(MessageDescriptor descriptor)
    {
        if (descriptor.ClrType is null)
        {
            // Map entries and other descriptors without generated classes never travel on their own.
            return;
        }

        _byProtoName[descriptor.FullName] = descriptor;
        _byMessageUrn[MessageUrn.ForTypeString(descriptor.ClrType)] = descriptor;
        foreach (var nested in descriptor.NestedTypes)
        {
            Register(nested);
        }
    }

    public void Register<TMessage>()
        where TMessage : IMessage<TMessage>, new() => Register(new TMessage().Descriptor);

    /// <summary>Every registered message, e.g. to keep their protobuf interfaces out of the broker topology.</summary>
    public IEnumerable<MessageDescriptor> Descriptors => _byProtoName.Values;

    public bool TryGetByProtoName(string protoName, out MessageDescriptor descriptor) =>
        _byProtoName.TryGetValue(protoName, out descriptor!);

    public bool TryGetByMessageUrn(string messageUrn, out MessageDescriptor descriptor) =>
        _byMessageUrn.TryGetValue(messageUrn, out descriptor!);

    /// <summary>The descriptor of a generated message class, read from its static <c>Descriptor</c> property.</summary>
    public static MessageDescriptor DescriptorOf(Type clrType) =>
        clrType.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as MessageDescriptor
        ?? throw new ArgumentException($"{clrType} is not a generated protobuf message", nameof(clrType));
}
