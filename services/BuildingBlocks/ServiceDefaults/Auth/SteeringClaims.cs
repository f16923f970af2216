namespace Egov.Steering.ServiceDefaults.Auth;

/// <summary>The JWT claims the services read (kept as sent: inbound claim mapping is off).</summary>
public static class SteeringClaims
{
    public const string Subject = "sub";

    /// <summary>The caller's organisation code (see <see cref="ReferenceData.Organisations"/>).</summary>
    public const string Organisation = "org";
}
