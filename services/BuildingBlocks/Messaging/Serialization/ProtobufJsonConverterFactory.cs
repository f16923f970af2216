using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Egov.Steering.Messaging.Serialization;

/// <summary>
/// Writes protobuf messages inside MassTransit's JSON envelopes (e.g. the message of a <c>Fault&lt;T&gt;</c>) in the
/// canonical protobuf JSON mapping, so repeated fields, oneofs and well-known types survive the round trip that plain
/// reflection over the generated classes would lose.
/// </summary>
public sealed class ProtobufJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeof(IMessage).IsAssignableFrom(typeToConvert) && !typeToConvert.IsAbstract && !typeToConvert.IsInterface;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<TMessage> : JsonConverter<TMessage>
        where TMessage : IMessage
    {
        private static readonly MessageDescriptor Descriptor = ProtobufMessageTypes.DescriptorOf(typeof(TMessage));

        public override TMessage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return (TMessage)JsonParser.Default.Parse(document.RootElement.GetRawText(), Descriptor);
        }

        public override void Write(Utf8JsonWriter writer, TMessage value, JsonSerializerOptions options) =>
            writer.WriteRawValue(JsonFormatter.Default.Format(value), skipInputValidation: true);
    }
}
