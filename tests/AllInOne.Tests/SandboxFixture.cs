using Egov.Steering.Access;
using Egov.Steering.AllInOne;
using Egov.Steering.TestSupport;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;

namespace Egov.Steering.AllInOne.Tests;

/// <summary>The sandbox as a user starts it (real Kestrel, SQLite, in-memory bus) from an empty data folder.</summary>
public class SandboxFixture : IAsyncLifetime
{
    private readonly string dataPath = Path.Combine(Path.GetTempPath(), "steering-sandbox-" + Guid.NewGuid().ToString("N"));
    private readonly int grpcPort = TestInfrastructure.FreePort();
    private readonly int httpPort = TestInfrastructure.FreePort();
    private WebApplication? app;

    public GrpcChannel Channel { get; private set; } = null!;

    /// <summary>The HTTP/1.1 port's address (health, the JSON/HTTP API, the event stream).</summary>
    public Uri HttpAddress => new($"http://127.0.0.1:{httpPort}/");

    /// <summary>Where this sandbox writes its address for steeringctl (its own, never the user's).</summary>
    public string AddressFile => Path.Combine(dataPath, "sandbox-address");

    /// <summary>The running host (its configuration as the banner reads it).</summary>
    public WebApplication App => app ?? throw new InvalidOperationException("the sandbox is stopped");

    public Metadata Reader { get; } = new()
    {
        { "Authorization", "Bearer " + DevelopmentTokens.Mint("national", [SteeringScopes.Read], TimeSpan.FromHours(1)) },
    };

    /// <summary>Settings a derived fixture adds to the command line (<c>--Key=value</c>).</summary>
    protected virtual IEnumerable<string> Settings => [];

    public virtual async Task InitializeAsync()
    {
        await StartAsync();
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
    }

    /// <summary>Stops the sandbox as Ctrl+C does and starts it again on the same folder and ports (the data stay).</summary>
    /// <param name="whileStopped">Runs between the stop and the start.</param>
    public async Task RestartAsync(Action? whileStopped = null)
    {
        await StopAsync();
        whileStopped?.Invoke();
        await StartAsync();
    }

    public virtual async Task DisposeAsync()
    {
        Channel.Dispose();
        await StopAsync();

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataPath, recursive: true);
    }

    private async Task StartAsync()
    {
        app = Sandbox.Build([$"--Sandbox:DataPath={dataPath}", $"--Sandbox:AddressFile={AddressFile}", $"--Hosting:GrpcPort={grpcPort}", $"--Hosting:HttpPort={httpPort}", .. Settings]);
        await app.StartSandboxAsync();
    }

    private async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }
}
