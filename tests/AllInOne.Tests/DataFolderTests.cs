using Egov.Steering.TestSupport;
using Microsoft.Data.Sqlite;

namespace Egov.Steering.AllInOne.Tests;

/// <summary>
/// A data folder whose databases were created by another version of the code is refused at start, with what to do;
/// an unchanged folder starts again, and --reset recreates a refused one.
/// </summary>
public sealed class DataFolderTests : IDisposable
{
    private const string OlderVersion =
        "this data folder was created by an older version; start with --reset to recreate it (the sample data are loaded again)";

    private readonly string dataPath = Path.Combine(Path.GetTempPath(), "steering-sandbox-" + Guid.NewGuid().ToString("N"));
    private readonly int grpcPort = TestInfrastructure.FreePort();
    private readonly int httpPort = TestInfrastructure.FreePort();

    [Fact]
    public async Task A_folder_of_another_schema_is_refused_with_reset_as_the_way_out()
    {
        await StartAndStopAsync();

        foreach (var file in new[] { "membership.db", "decisions.db", "notifications.db" })
        {
            var created = await SqlAsync(file, "SELECT fingerprint FROM __schema_fingerprint");
            await SqlAsync(file, "UPDATE __schema_fingerprint SET fingerprint = $value", "older");

            var (exitCode, error) = await RunAsync();

            Assert.Equal(Sandbox.StaleDataFolderExitCode, exitCode);
            Assert.Contains(OlderVersion, error, StringComparison.Ordinal);
            Assert.Contains(dataPath, error, StringComparison.Ordinal);
            Assert.Contains(file, error, StringComparison.Ordinal);
            await SqlAsync(file, "UPDATE __schema_fingerprint SET fingerprint = $value", created);
        }

        await StartAndStopAsync();

        // A folder from before fingerprints were stored is just as unknown.
        await SqlAsync("decisions.db", "DROP TABLE __schema_fingerprint");
        Assert.Equal(Sandbox.StaleDataFolderExitCode, (await RunAsync()).ExitCode);

        // A new process holds no connection to the files --reset deletes; this one pools the earlier starts'.
        SqliteConnection.ClearAllPools();
        await StartAndStopAsync(Sandbox.ResetFlag);
        Assert.NotEqual(0L, await SqlAsync("decisions.db", "SELECT COUNT(*) FROM decisions"));
        await StartAndStopAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(dataPath, recursive: true);
    }

    private string[] Arguments(params string[] extra) =>
        [$"--Sandbox:DataPath={dataPath}", "--Sandbox:AddressFile=", $"--Hosting:GrpcPort={grpcPort}", $"--Hosting:HttpPort={httpPort}", .. extra];

    /// <summary>Starts the sandbox as the tests' fixture does (sample data loaded), then stops it.</summary>
    private async Task StartAndStopAsync(params string[] extra)
    {
        await using var app = Sandbox.Build(Arguments(extra));
        await app.StartSandboxAsync();
        await app.StopAsync();
    }

    /// <summary>Runs the sandbox as Program.cs does; a start that is not refused is cancelled once serving, not awaited forever.</summary>
    private async Task<(int ExitCode, string Error)> RunAsync()
    {
        await using var app = Sandbox.Build(Arguments());
        using var error = new StringWriter();
        using var started = new CancellationTokenSource();
        app.Lifetime.ApplicationStarted.Register(started.Cancel);
        var exitCode = await app.RunSandboxAsync(error, started.Token);
        return (exitCode, error.ToString());
    }

    private async Task<object?> SqlAsync(string file, string sql, object? value = null)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataPath, file)};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$value", value ?? DBNull.Value);
        return await command.ExecuteScalarAsync();
    }
}
