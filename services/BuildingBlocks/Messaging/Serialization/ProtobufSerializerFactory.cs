using MassTransit;

namespace Egov.Steering.Messaging.Serialization;

/// <summary>Registers the protobuf serializer pair with a bus (see <c>UseProtobufSerializer</c>).</summary>
public sealed class ProtobufSerializerFactory(ProtobufMessageTypes messageTypes) : ISerializerFactory
{
    private readonly ProtobufMessageSerializer _serializer = new();

    public System.Net.Mime.ContentType ContentType => ProtobufContentTypes.Protobuf;

    public IMessageSerializer CreateSerializer() => _serializer;

    public IMessageDeserializer CreateDeserializer() => new ProtobufMessageDeserializer(messageTypes, _serializer);
}
