using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace Egov.Steering.TestSupport;

/// <summary>
/// A proxy in front of a real RabbitMQ that can stop passing the broker's publisher confirms (<c>basic.ack</c>) on
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

    // The client's opening bytes hold its connection name (connection.start-ok's client properties).
    private const int OpeningSize = 4096;

    private readonly ConcurrentDictionary<int, OpenConnection> open = new();
    private int droppedConfirms;

    /// <summary>The broker's address through this proxy, with the user and password of <paramref name="broker"/>.</summary>
    public Uri Address => new UriBuilder(broker) { Host = "127.0.0.1", Port = Port }.Uri;

    /// <summary>Confirms dropped so far.</summary>
    public int DroppedConfirms => Volatile.Read(ref droppedConfirms);

    /// <summary>
    /// From now on, the connections open now (those whose client named itself <paramref name="clientName"/>, when given)
    /// receive no publisher confirm; returns how many were silenced.
    /// </summary>
    public int SilenceConfirms(string? clientName = null)
    {
        var name = clientName is null ? null : Encoding.UTF8.GetBytes(clientName);
        var silenced = 0;
        foreach (var connection in open.Values)
        {
            if (name is null || connection.Opened(name))
            {
                connection.Silenced = true;
                silenced++;
            }
        }

        return silenced;
    }

    protected override async Task PumpAsync(NetworkStream from, NetworkStream to, bool fromServer, int connection, CancellationToken cancellationToken)
    {
        var state = open.GetOrAdd(connection, _ => new OpenConnection());
        try
        {
            await (fromServer ? ForwardFramesAsync(from, to, state, cancellationToken) : ForwardClientAsync(from, to, state, cancellationToken));
        }
        finally
        {
            open.TryRemove(connection, out _);
        }
    }

    private async Task ForwardFramesAsync(NetworkStream server, NetworkStream client, OpenConnection state, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderSize];
        while (true)
        {
            await server.ReadExactlyAsync(header, cancellationToken);
            var rest = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(3)) + 1];
            await server.ReadExactlyAsync(rest, cancellationToken);
            if (state.Silenced && IsConfirm(header, rest))
            {
                Interlocked.Increment(ref droppedConfirms);
                continue;
            }

            await client.WriteAsync(header, cancellationToken);
            await client.WriteAsync(rest, cancellationToken);
        }
    }

    private static async Task ForwardClientAsync(NetworkStream client, NetworkStream server, OpenConnection state, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await client.ReadAsync(buffer, cancellationToken)) > 0)
        {
            state.Record(buffer.AsSpan(0, read));
            await server.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private static bool IsConfirm(byte[] header, byte[] payload) =>
        header[0] == MethodFrame
        && payload.Length >= 5
        && BinaryPrimitives.ReadUInt16BigEndian(payload) == BasicClass
        && BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(2)) == AckMethod;

    private sealed class OpenConnection
    {
        private readonly byte[] opening = new byte[OpeningSize];
        private int recorded;

        public volatile bool Silenced;

        public void Record(ReadOnlySpan<byte> bytes)
        {
            lock (opening)
            {
                var taken = Math.Min(bytes.Length, OpeningSize - recorded);
                bytes[..taken].CopyTo(opening.AsSpan(recorded));
                recorded += taken;
            }
        }

        public bool Opened(byte[] name)
        {
            lock (opening)
            {
                return opening.AsSpan(0, recorded).IndexOf(name) >= 0;
            }
        }
    }
}
