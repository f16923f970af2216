using System.Net;
using System.Net.Sockets;
using Egov.Steering.AllInOne;
using Egov.Steering.ServiceDefaults.Auth;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;

namespace Egov.Steering.AllInOne.Tests;

/// <summary>The sandbox as a user starts it (real Kestrel, SQLite, in-memory bus) from an empty data folder.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private readonly string dataPath = Path.Combine(Path.GetTempPath(), "steering-sandbox-" + Guid.NewGuid().ToString("N"));
    private WebApplication? app;

    public GrpcChannel Channel { get; private set; } = null!;

    public Metadata Reader { get; } = new()
    {
        { "Authorization", "Bearer " + DevelopmentTokens.Mint("national", [SteeringScopes.Read], TimeSpan.FromHours(1)) },
    };

    public async Task InitializeAsync()
    {
        var grpcPort = FreePort();
        app = Sandbox.Build([$"--Sandbox:DataPath={dataPath}", $"--Hosting:GrpcPort={grpcPort}", $"--Hosting:HttpPort={FreePort()}"]);
        await app.StartSandboxAsync();
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataPath, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
