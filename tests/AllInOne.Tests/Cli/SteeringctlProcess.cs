using System.Diagnostics;
using Egov.Steering.Access;
using Egov.Steering.Cli;
using Egov.Steering.TestSupport;

namespace Egov.Steering.AllInOne.Tests.Cli;

/// <summary>
/// steeringctl as a shell runs it: its own process (the built steeringctl.dll under `dotnet`), with standard output
/// and error apart and the exit code, in an environment of the test's choosing (no STEERINGCTL_* of the machine's, and
/// a HOME of its own so the user's sandbox address file is never read).
/// </summary>
internal static class SteeringctlProcess
{
    // Its own build output, as `dotnet run --project services/Cli` runs it: the copy in this test's folder resolves its
    // dependencies against ASP.NET Core's (the test's framework), not its own.
    private static string BuiltSteeringctl
    {
        get
        {
            // .../tests/AllInOne.Tests/bin/<Configuration>/<framework>/
            var framework = new DirectoryInfo(AppContext.BaseDirectory);
            var configuration = framework.Parent!;
            return Path.Combine(TestInfrastructure.RepositoryRoot, "services", "Cli", "bin", configuration.Name, framework.Name, typeof(SteeringctlCommand).Assembly.GetName().Name + ".dll");
        }
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(BuiltSteeringctl);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var variable in start.Environment.Keys.Where(key => key.StartsWith("STEERINGCTL_", StringComparison.Ordinal) || key == SandboxAddressFile.Variable).ToList())
        {
            start.Environment.Remove(variable);
        }

        start.Environment["HOME"] = Path.Combine(Path.GetTempPath(), "steeringctl-home-" + Guid.NewGuid().ToString("N"));
        start.Environment.Remove("XDG_CONFIG_HOME");
        foreach (var (variable, value) in environment)
        {
            start.Environment[variable] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        // Bounds a hung child only; the commands here answer in seconds.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
