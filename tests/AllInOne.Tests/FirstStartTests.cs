using System.Diagnostics;
using Egov.Steering.TestSupport;

namespace Egov.Steering.AllInOne.Tests;

/// <summary>
/// `dotnet run --project services/AllInOne` says what it is doing from the first moment: its build prints a line even at
/// the quiet verbosity dotnet run builds with, and the sandbox another before it creates databases and loads samples.
/// </summary>
public sealed class FirstStartTests
{
    [Fact]
    public async Task The_build_says_it_is_building_the_services_even_at_quiet_verbosity()
    {
        // The sandbox's own step before its references are built, without building them (the test run built them).
        var start = new ProcessStartInfo("dotnet");
        foreach (var arg in new[]
        {
            "msbuild", Path.Combine(TestInfrastructure.RepositoryRoot, "services", "AllInOne", "AllInOne.csproj"),
            "-t:ResolveProjectReferences", "-p:BuildProjectReferences=false", "-p:Configuration=Release", "-v:q", "-nologo",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var result = await BoundedProcess.RunAsync(start, TimeSpan.FromMinutes(10));

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("sandbox: building the services first", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sandbox_says_it_is_starting_before_anything_else()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "steering-sandbox-" + Guid.NewGuid().ToString("N"));
        await using var app = Sandbox.Build([$"--Sandbox:DataPath={dataPath}", "--Sandbox:AddressFile=", $"--Hosting:GrpcPort={TestInfrastructure.FreePort()}"]);
        using var error = new StringWriter();
        using var stopped = new CancellationTokenSource();
        stopped.Cancel(); // the start is cut short at once: only what it says first matters here

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => app.RunSandboxAsync(error, stopped.Token));

        Assert.StartsWith($"sandbox: starting on {app.Configuration.GrpcAddress()}: databases in {dataPath}", error.ToString(), StringComparison.Ordinal);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataPath, recursive: true);
    }
}
