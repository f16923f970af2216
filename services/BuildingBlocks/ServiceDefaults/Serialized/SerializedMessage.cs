using Google.Protobuf;
using Grpc.Core;

namespace Egov.Steering.ServiceDefaults.Serialized;

/// <summary>
/// A response message already serialized (e.g. a cached view): its <see cref="Marshaller"/> writes the bytes to the
/// call as they are, with no parse, clone or re-serialization. The bytes are shared by every call that sends them
/// and never changed.
/// </summary>
public sealed class SerializedMessage
{
    public SerializedMessage(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Bytes = bytes;
    }

    /// <summary>Writes the bytes as the message; reads a message as its bytes (what a client of such a method sees).</summary>
    public static Marshaller<SerializedMessage> Marshaller { get; } = Marshallers.Create<SerializedMessage>(
        (message, context) => context.Complete(message.Bytes),
        context => new SerializedMessage(context.PayloadAsNewBuffer()));

    /// <summary>The encoded message, as the generated marshaller of the method's response type would write it.</summary>
    public byte[] Bytes { get; }

    public static SerializedMessage Of(IMessage message) => new(message.ToByteArray());
}
