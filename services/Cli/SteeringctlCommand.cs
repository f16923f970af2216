using System.CommandLine;
using Egov.Steering.Cli.Commands;
using Egov.Steering.Cli.Remote;

namespace Egov.Steering.Cli;

/// <summary>The <c>steeringctl</c> command line, built once for Program.cs and for the tests that run it in-process.</summary>
public static class SteeringctlCommand
{
    public static RootCommand Create()
    {
        var steeringctl = new RootCommand("steeringctl: the command-line client of the e-government steering committee register");
        RemoteOptions.AddTo(steeringctl);

        // One command group per file under Commands/.
        steeringctl.Subcommands.Add(CommitteesCommands.Create());
        steeringctl.Subcommands.Add(OverviewCommand.Create());
        steeringctl.Subcommands.Add(PeopleCommands.Create());
        steeringctl.Subcommands.Add(DecisionsCommands.Create());
        steeringctl.Subcommands.Add(WatchCommand.Create());
        steeringctl.Subcommands.Add(TokenCommands.Create());
        steeringctl.Subcommands.Add(BusCommands.Create());
        return steeringctl;
    }

    /// <summary>Parses and runs <paramref name="args"/>; a command line that does not parse exits 2 (bad usage).</summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        var parseResult = Create().Parse(args);
        var exitCode = await parseResult.InvokeAsync(configuration, cancellationToken);
        return parseResult.Errors.Count > 0 ? ExitCodes.BadUsage : exitCode;
    }
}
