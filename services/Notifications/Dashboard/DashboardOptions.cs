namespace Egov.Steering.Notifications.Dashboard;

/// <summary>
/// The <c>Dashboard</c> configuration section: where the page finds the JSON/HTTP API of each service. Empty means
/// the origin that serves the page (the sandbox, or an Ingress that routes every service under one host).
/// </summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>Base URL of Membership's JSON/HTTP API, e.g. <c>http://127.0.0.1:5101</c>; empty: this origin.</summary>
    public string MembershipApi { get; set; } = "";

    /// <summary>Base URL of Decisions' JSON/HTTP API; empty: this origin.</summary>
    public string DecisionsApi { get; set; } = "";

    /// <summary>Base URL of Notifications' own API (the event feed); empty: this origin, which is nearly always right.</summary>
    public string NotificationsApi { get; set; } = "";

    /// <summary>The configured bases that are set, each an absolute http(s) URL (checked at start).</summary>
    internal IEnumerable<string> ConfiguredBases() =>
        new[] { MembershipApi, DecisionsApi, NotificationsApi }.Where(value => value.Length > 0);

    internal static bool IsHttpBase(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.PathAndQuery == "/" && uri.Fragment.Length == 0;
}
