using System.Buffers.Binary;
using System.Net.Sockets;

namespace Egov.Steering.TestSupport;

/// <summary>
/// A proxy in front of a real RabbitMQ that can stop passing the broker's publisher confirms (<c>basic.ack</c>) on the
/// connections open at that moment while everything else on them flows (deliveries, heartbeats, replies), and serves
/// later connections in full: a broker that stopped serving one connection's publishes without closing it.
/// </summary>
public sealed class ConfirmSilencingAmqpProxy(Uri broker) : HoldingTcpProxy(broker.Host, broker.Port, held: false)
{
    // AMQP 0-9-1 framing: type (1 = method), channel (2), size (4), payload, frame end 0xCE; a method's payload opens
    // with its class and method ids, basic.ack being class 60, method 80.
    private const int HeaderSize = 7;
    private const byte MethodFrame = 1;
    private const ushort BasicClass = 60;
    private const ushort AckMethod = 80;

    private int silencedBelow;
    private int droppedConfirms;

    /// <summary>The broker's address through this proxy, with the user and password of <paramref name="broker"/>.</summary>
    public Uri Address => new UriBuilder(broker) { Host = "127.0.0.1", Port = Port }.Uri;

    /// <summary>Confirms dropped so far.</summary>
    public int DroppedConfirms => Volatile.Read(ref droppedConfirms);

    /// <summary>From now on, the connections open now receive no publisher confirm.</summary>
    public void SilenceConfirmsOfOpenConnections() => Volatile.Write(ref silencedBelow, Accepted);

    protected override async Task ForwardFromServerAsync(NetworkStream server, NetworkStream client, int connection, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderSize];
        while (true)
        {
            await server.ReadExactlyAsync(header, cancellationToken);
            var rest = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(3)) + 1];
            await server.ReadExactlyAsync(rest, cancellationToken);
            if (connection < Volatile.Read(ref silencedBelow) && IsConfirm(header, rest))
            {
                Interlocked.Increment(ref droppedConfirms);
                continue;
            }

            await client.WriteAsync(header, cancellationToken);
            await client.WriteAsync(rest, cancellationToken);
        }
    }

    private static bool IsConfirm(byte[] header, byte[] payload) =>
        header[0] == MethodFrame
        && payload.Length >= 5
        && BinaryPrimitives.ReadUInt16BigEndian(payload) == BasicClass
        && BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(2)) == AckMethod;
}
