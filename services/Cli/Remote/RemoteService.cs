namespace Egov.Steering.Cli.Remote;

/// <summary>
/// A service a command calls, with the option and variable that set its own address: in the distributed mode each
/// service listens on its own port, in the sandbox all three share one (<c>--address</c>).
/// </summary>
public sealed record RemoteService(string Name, string AddressOption, string AddressVariable)
{
    public static readonly RemoteService Membership = new("Membership", "--membership-address", "STEERINGCTL_MEMBERSHIP_ADDRESS");
    public static readonly RemoteService Decisions = new("Decisions", "--decisions-address", "STEERINGCTL_DECISIONS_ADDRESS");
    public static readonly RemoteService Notifications = new("Notifications", "--notifications-address", "STEERINGCTL_NOTIFICATIONS_ADDRESS");

    public static IReadOnlyList<RemoteService> All { get; } = [Membership, Decisions, Notifications];
}
