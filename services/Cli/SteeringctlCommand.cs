using System.CommandLine;
using System.CommandLine.Parsing;
using Egov.Steering.Cli.Commands;
using Egov.Steering.Cli.Remote;

namespace Egov.Steering.Cli;

/// <summary>The <c>steeringctl</c> command line, built once for Program.cs and for the tests that run it in-process.</summary>
public static class SteeringctlCommand
{
    /// <summary>What the user types (the tool's command name and the assembly's name, so usage says it too).</summary>
    public const string Name = "steeringctl";

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

    /// <summary>
    /// Parses and runs <paramref name="args"/>. A command line that does not parse runs nothing: its errors and a
    /// one-line hint go to standard error and it exits 2 (bad usage), so that `$(steeringctl ...)` captures nothing.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        var parseResult = Create().Parse(args);
        if (parseResult.Errors.Count == 0)
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken);
        }

        var error = (configuration ?? new InvocationConfiguration()).Error;
        // An option's own error and the parser's general one can say the same thing.
        foreach (var message in parseResult.Errors.Select(parseError => parseError.Message).Distinct(StringComparer.Ordinal))
        {
            await error.WriteLineAsync(message);
        }

        await error.WriteLineAsync($"See `{CommandLine(parseResult.CommandResult)} --help` for its usage.");
        return ExitCodes.BadUsage;
    }

    // "steeringctl token mint": the command as typed, whatever the executable is called (dotnet run, a test host).
    private static string CommandLine(CommandResult command) =>
        command.Parent is CommandResult parent ? CommandLine(parent) + " " + command.Command.Name : Name;
}
