using Egov.Steering.Access;
using Egov.Steering.ServiceDefaults.Hosting;

namespace Egov.Steering.AllInOne;

/// <summary>Ids of the sample committees (SampleData/*.yaml) that the banner and the tests refer to.</summary>
public static class SampleCommittees
{
    public const string National = "national-committee-e-government";
    public const string GiaLai = "gia-lai-2020-e-government";
}

/// <summary>What a newcomer needs once the sandbox is ready: where it listens, a token, and calls to try.</summary>
public static class SandboxBanner
{
    /// <summary>How the README (and a newcomer at the repository root) runs steeringctl: nothing to install but the SDK.</summary>
    public const string Steeringctl = "dotnet run --project services/Cli --";

    private static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(12);

    public static void Print(WebApplication app) => Console.WriteLine(Text(
        app,
        DevelopmentTokens.Mint("national", SteeringScopes.All, TokenLifetime),
        DevelopmentTokens.Mint("national", [SteeringScopes.Read], TokenLifetime)));

    /// <summary>
    /// The dashboard page on the HTTP/1.1 port, with the token in the fragment: the page keeps it for the tab and
    /// removes it from the address bar, and a fragment never reaches the server or its logs.
    /// </summary>
    public static string DashboardAddress(WebApplication app, string token) =>
        $"http://127.0.0.1:{app.Configuration.GetValue(KestrelExtensions.HttpPortKey, Sandbox.DefaultHttpPort)}/dashboard/#token={token}";

    /// <summary>
    /// The banner: steeringctl first (the .NET SDK is all it needs; it finds this address in the address file, or
    /// through STEERINGCTL_ADDRESS), then the same calls with grpcurl for those who have it.
    /// </summary>
    /// <param name="dashboardToken">The token the dashboard's address carries (a reader's); <paramref name="token"/> when null.</param>
    public static string Text(WebApplication app, string token, string? dashboardToken = null)
    {
        var address = app.Configuration.GrpcAddress();
        var target = $"{address.Host}:{address.Port}";
        var addressFile = app.Configuration[Sandbox.AddressFileKey] is { Length: > 0 } file
            ? $"written to {file} for steeringctl"
            : $"set STEERINGCTL_ADDRESS={address} for steeringctl";
        return $$$"""

            egov-steering sandbox is ready (sample data from the source article loaded).
              gRPC (h2c, reflection on): {{{address}}}  ({{{addressFile}}})
              dashboard (the national page, live; the address signs it in, read only, for 12 h):
                {{{DashboardAddress(app, dashboardToken ?? token)}}}
              data folder:               {{{app.Configuration[Sandbox.DataPathKey]}}}  (start with --reset to wipe it)
              development token (national, admin, 12 h):
                export STEERINGCTL_TOKEN={{{token}}}

            Try, from the repository root in another terminal (steeringctl, services/Cli/README.md):
              {{{Steeringctl}}} committees show {{{SampleCommittees.GiaLai}}} --as-of 2020-12-31
              {{{Steeringctl}}} committees show {{{SampleCommittees.National}}} --as-of 2021-10-01
              {{{Steeringctl}}} decisions list --committee {{{SampleCommittees.National}}}
              {{{Steeringctl}}} watch --from-beginning          # the event feed, then live; Ctrl+C stops

            The same with grpcurl (optional, if installed; export TOKEN=$STEERINGCTL_TOKEN first):
              grpcurl -plaintext -H "authorization: Bearer $TOKEN" -d '{"committee":"committees/{{{SampleCommittees.GiaLai}}}","as_of":{"year":2020,"month":12,"day":31}}' {{{target}}} egov.steering.membership.v1.MembershipService/GetCommitteeView
              grpcurl -plaintext -H "authorization: Bearer $TOKEN" -d '{"name":"committees/{{{SampleCommittees.National}}}","as_of":{"year":2021,"month":10,"day":1}}' {{{target}}} egov.steering.membership.v1.MembershipService/GetCommittee
              grpcurl -plaintext -H "authorization: Bearer $TOKEN" -d '{"committee":"committees/{{{SampleCommittees.National}}}"}' {{{target}}} egov.steering.decisions.v1.DecisionsService/ListDecisions
              grpcurl -plaintext -H "authorization: Bearer $TOKEN" -d '{"after_position":0}' {{{target}}} egov.steering.notifications.v1.NotificationsService/WatchEvents

            Ctrl+C stops it; the data stays for the next start.
            """;
    }
}
