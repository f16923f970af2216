using Egov.Steering.Cli;

return await SteeringctlCommand.InvokeAsync(args);
