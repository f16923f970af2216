using System.Buffers.Binary;

namespace Egov.Steering.ServiceDefaults.Serialized;

/// <summary>
/// A message as gRPC carries it in an HTTP/2 body: a prefix of the compressed flag (0: not compressed) and the
/// message's length (big-endian), then its bytes. For code that writes or reads a body without the gRPC machinery.
/// </summary>
public static class GrpcMessageFrame
{
    /// <summary>The compressed flag and the length.</summary>
    public const int PrefixLength = 5;

    /// <summary>The uncompressed frame of <paramref name="message"/>'s bytes.</summary>
    public static byte[] Of(ReadOnlySpan<byte> message)
    {
        var frame = new byte[PrefixLength + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame.AsSpan(PrefixLength));
        return frame;
    }
}
