using System.Net.Mime;
using System.Runtime.Serialization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using MassTransit;
using MassTransit.Serialization;

namespace Egov.Steering.Messaging.Serialization;

/// <summary>
/// Reads <c>application/protobuf</c> messages: the message type comes from the content type's <c>proto</c> parameter
/// (what a producer in any language sets) or else from MassTransit's <c>MT-MessageType</c> header, and must be one
/// of <see cref="ProtobufMessageTypes"/>. A body that cannot be read fails with a <see cref="SerializationException"/>
/// that says why, so MassTransit moves it to the error queue instead of retrying it.
/// </summary>
public sealed class ProtobufMessageDeserializer(ProtobufMessageTypes messageTypes, IMessageSerializer serializer)
    : IMessageDeserializer
{
    public ContentType ContentType => ProtobufContentTypes.Protobuf;

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateScope("protobuf");
        scope.Add("contentType", ContentType.MediaType);
    }

    public ConsumeContext Deserialize(ReceiveContext receiveContext) =>
        new BodyConsumeContext(receiveContext, Deserialize(
            receiveContext.Body, receiveContext.TransportHeaders, receiveContext.InputAddress, receiveContext.ContentType));

    public MessageBody GetMessageBody(string text) => new Base64MessageBody(text);

    public SerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress = null) =>
        Deserialize(body, headers, destinationAddress, contentType: null);

    private ProtobufSerializerContext Deserialize(MessageBody body, Headers headers, Uri? destinationAddress, ContentType? contentType)
    {
        var descriptor = Resolve(headers, contentType);
        IMessage message;
        try
        {
            message = descriptor.Parser.ParseFrom(body.GetBytes());
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new SerializationException($"The body is not a valid {descriptor.FullName}: {exception.Message}", exception);
        }

        var messageContext = new RawMessageContext(headers, destinationAddress, RawSerializerOptions.Default);
        return new ProtobufSerializerContext(messageContext, message, serializer);
    }

    private MessageDescriptor Resolve(Headers headers, ContentType? contentType)
    {
        if (contentType?.Parameters[ProtobufContentTypes.ProtoParameter] is { Length: > 0 } protoName)
        {
            return messageTypes.TryGetByProtoName(protoName, out var descriptor)
                ? descriptor
                : throw new SerializationException(
                    $"Unknown protobuf message type '{protoName}': register its descriptor with ProtobufMessageTypes.");
        }

        var urns = headers.GetMessageTypes();
        foreach (var urn in urns)
        {
            if (messageTypes.TryGetByMessageUrn(urn, out var descriptor))
            {
                return descriptor;
            }
        }

        throw new SerializationException(urns.Length == 0
            ? $"The message names no protobuf type: expected '{ProtobufContentTypes.MediaType}; {ProtobufContentTypes.ProtoParameter}=<message full name>'."
            : $"Unknown protobuf message type '{string.Join(';', urns)}': register its descriptor with ProtobufMessageTypes.");
    }
}
