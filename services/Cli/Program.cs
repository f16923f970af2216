using System.CommandLine;
using Egov.Steering.Cli.Commands;

var steeringctl = new RootCommand("steeringctl: the command-line client of the e-government steering committee register");

// One command group per file under Commands/.
steeringctl.Subcommands.Add(TokenCommands.Create());
steeringctl.Subcommands.Add(BusCommands.Create());

return await steeringctl.Parse(args).InvokeAsync();
