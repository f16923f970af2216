using System.CommandLine;
using Egov.Steering.Cli;

namespace Egov.Steering.AllInOne.Tests.Cli;

/// <summary>Runs steeringctl in-process, its output captured as a pipe would see it (no terminal: plain text).</summary>
internal static class Steeringctl
{
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await SteeringctlCommand.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
