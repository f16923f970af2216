using MassTransit;

namespace Egov.Steering.Messaging.Serialization;

public static class ProtobufSerializerConfigurationExtensions
{
    /// <summary>
    /// Makes protobuf the bus's serializer for <see cref="Google.Protobuf.IMessage"/> messages while MassTransit's
    /// JSON envelope stays for its own messages: each received message is read by the deserializer of its content type.
    /// </summary>
    public static void UseProtobufSerializer(this IBusFactoryConfigurator configurator, ProtobufMessageTypes messageTypes)
    {
        var factory = new ProtobufSerializerFactory(messageTypes);
        configurator.AddSerializer(factory);
        configurator.AddDeserializer(factory);
        configurator.ConfigureJsonSerializerOptions(options =>
        {
            if (!options.Converters.Any(converter => converter is ProtobufJsonConverterFactory))
            {
                options.Converters.Insert(0, new ProtobufJsonConverterFactory());
            }

            return options;
        });
    }
}
