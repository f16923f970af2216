namespace Egov.Steering.Cli.Remote;

/// <summary>What the user gave cannot be used (e.g. a decision file that does not parse): exit 2 with this message.</summary>
public sealed class BadUsageException(string message) : Exception(message);
