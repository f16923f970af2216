using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Google.Protobuf;
using MassTransit;
using MassTransit.Serialization;

namespace Egov.Steering.Messaging.Serialization;

/// <summary>One received protobuf message, offered to the consumers of its CLR type or any type it implements.</summary>
public sealed class ProtobufSerializerContext(MessageContext messageContext, IMessage message, IMessageSerializer serializer)
    : BaseSerializerContext(SystemTextJsonMessageSerializer.Instance, messageContext, [MessageUrn.ForTypeString(message.GetType())])
{
    public IMessage Message { get; } = message;

    public override bool IsSupportedMessageType<T>() => Message is T;

    public override bool IsSupportedMessageType(Type messageType) => messageType.IsInstanceOfType(Message);

    public override bool TryGetMessage<T>(out T? message)
        where T : class
    {
        message = Message as T;
        return message is not null;
    }

    public override bool TryGetMessage(Type messageType, [NotNullWhen(true)] out object? message)
    {
        message = messageType.IsInstanceOfType(Message) ? Message : null;
        return message is not null;
    }

    // Redelivery, forwarding and scheduling re-send the message object: the same serializer writes the same bytes.
    public override IMessageSerializer GetMessageSerializer() => serializer;

    public override IMessageSerializer GetMessageSerializer<T>(MessageEnvelope envelope, T message) => serializer;

    public override IMessageSerializer GetMessageSerializer(object message, string[] messageTypes) => serializer;

    public override Dictionary<string, object> ToDictionary<T>(T? message)
        where T : class =>
        message is null
            ? new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase)
            : JsonSerializer.SerializeToElement(message, SystemTextJsonMessageSerializer.Options)
                .Deserialize<Dictionary<string, object>>(SystemTextJsonMessageSerializer.Options)!;
}
