using MassTransit;

namespace Egov.Steering.Messaging.Serialization;

/// <summary>
/// A binary body whose text form is base64 (what <see cref="Base64MessageBody"/> reads back), so stores that keep
/// bodies as text never mangle protobuf bytes the way a UTF-8 decoding would.
/// </summary>
public sealed class ProtobufMessageBody(byte[] bytes) : MessageBody
{
    public long? Length => bytes.Length;

    public Stream GetStream() => new MemoryStream(bytes, writable: false);

    public byte[] GetBytes() => bytes;

    public string GetString() => Convert.ToBase64String(bytes);
}
