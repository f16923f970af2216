using System.Net;
using System.Net.Sockets;

namespace Egov.Steering.TestSupport;

/// <summary>
/// A TCP proxy on a free loopback port in front of a real server that can hold every byte in both directions: while
/// held, connections are accepted but nothing gets through, as with a server too loaded to answer (connects succeed,
/// replies never come). Released, the held bytes flow and it forwards as a plain proxy. A derived proxy may read or
/// rewrite what passes (<see cref="PumpAsync"/>).
/// </summary>
public class HoldingTcpProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly string targetHost;
    private readonly int targetPort;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<TcpClient> connections = [];
    private readonly Task accepting;
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int accepted;

    public HoldingTcpProxy(string targetHost, int targetPort, bool held)
    {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        if (!held)
        {
            released.SetResult();
        }

        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Lets the held bytes, and every later one, through.</summary>
    public void Release() => released.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await stopping.CancelAsync();
        listener.Stop();
        await accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (connections)
        {
            connections.ForEach(connection => connection.Dispose());
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stopping.Token);
            var server = new TcpClient();
            lock (connections)
            {
                connections.Add(client);
                connections.Add(server);
            }

            _ = ForwardAsync(client, server, Interlocked.Increment(ref accepted) - 1);
        }
    }

    private async Task ForwardAsync(TcpClient client, TcpClient server, int connection)
    {
        try
        {
            await server.ConnectAsync(targetHost, targetPort, stopping.Token);
            await await Task.WhenAny(
                PumpAsync(client.GetStream(), server.GetStream(), fromServer: false, connection, stopping.Token),
                PumpAsync(server.GetStream(), client.GetStream(), fromServer: true, connection, stopping.Token));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went away: the pair ends, as a real connection would.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    /// <summary>
    /// Forwards one direction of connection number <paramref name="connection"/> until it ends; an I/O error or
    /// cancellation ends it, and <see cref="ForwardAsync"/> then closes both sides.
    /// </summary>
    protected virtual async Task PumpAsync(NetworkStream from, NetworkStream to, bool fromServer, int connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await released.Task.WaitAsync(cancellationToken);
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Ends this direction; ForwardAsync closes both sides.
        }
    }
}
