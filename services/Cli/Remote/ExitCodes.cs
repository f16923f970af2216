namespace Egov.Steering.Cli.Remote;

/// <summary>steeringctl's exit codes, stable for scripts.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;
    public const int NotFound = 3;
    public const int NotAllowed = 4;
    public const int Unavailable = 5;

    /// <summary>The decision has problems (<c>decisions validate</c>) or Membership rejected it (<c>decisions issue</c>).</summary>
    public const int Problems = 6;

    /// <summary>A feed position the log no longer holds (older than its retention, or from another deployment).</summary>
    public const int PositionOutOfRange = 7;
}
