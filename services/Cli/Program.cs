using System.CommandLine;
using Egov.Steering.Cli.Commands;

var steeringctl = new RootCommand("steeringctl: the command-line client of the e-government steering committee register");

// One command group per file under Commands/; `bus` (BusCommands.Create()) joins here with the messaging branch.
steeringctl.Subcommands.Add(TokenCommands.Create());

return await steeringctl.Parse(args).InvokeAsync();
