using System.Net;
using System.Net.Sockets;
using Egov.Steering.ServiceDefaults.Hosting;
using Egov.Steering.ServiceDefaults;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>The real Kestrel endpoints: gRPC over cleartext HTTP/2 on one port, probes over HTTP/1.1 on the other.</summary>
public sealed class KestrelTests
{
    [Fact]
    public async Task Grpc_is_served_over_h2c_and_probes_over_http_1_1()
    {
        await using var host = await TestServiceHost.StartOnKestrelAsync();
        var (app, grpcPort, httpPort) = (host.App, host.GrpcPort, host.HttpPort);

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        using var http = new HttpClient();
        using var liveness = await http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/healthz"));
        Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        Assert.Equal(new Version(1, 1), liveness.Version);

        await app.StopAsync();
    }

    [Fact]
    public async Task A_client_that_stops_answering_is_pinged_then_disconnected()
    {
        await using var host = await TestServiceHost.StartOnKestrelAsync(new Dictionary<string, string?>
        {
            [KestrelExtensions.KeepAlivePingDelayKey] = "00:00:01",
            [KestrelExtensions.KeepAlivePingTimeoutKey] = "00:00:01",
        });
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, host.GrpcPort);
        var connection = client.GetStream();

        // The HTTP/2 preface and an empty SETTINGS frame, then silence: no SETTINGS ack, no PING ack — a vanished peer.
        await connection.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray());
        await connection.WriteAsync(new byte[] { 0, 0, 0, Settings, 0, 0, 0, 0, 0 });

        var received = await FrameTypesUntilClosedAsync(connection, TimeSpan.FromSeconds(30));
        Assert.Contains(Ping, received);
        Assert.Contains(GoAway, received);
    }

    private const byte Settings = 0x4;
    private const byte Ping = 0x6;
    private const byte GoAway = 0x7;

    private static async Task<List<byte>> FrameTypesUntilClosedAsync(NetworkStream connection, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        var types = new List<byte>();
        var header = new byte[9];
        try
        {
            while (await connection.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, timeout.Token) == header.Length)
            {
                types.Add(header[3]);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                await connection.ReadExactlyAsync(new byte[length], timeout.Token);
            }
        }
        catch (IOException)
        {
            // Reset by the server: closed all the same.
        }

        return types;
    }
}
