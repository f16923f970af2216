using Egov.Steering.ServiceDefaults.Auth;

namespace Egov.Steering.AllInOne;

/// <summary>What a newcomer needs once the sandbox is ready: where it listens, a token, and calls to try.</summary>
/// <summary>Ids of the sample committees (SampleData/*.yaml) that the banner and the tests refer to.</summary>
public static class SampleCommittees
{
    public const string National = "national-committee-e-government";
    public const string GiaLai = "gia-lai-2020-e-government";
}

internal static class SandboxBanner
{
    public static void Print(WebApplication app)
    {
        var address = app.Configuration.GrpcAddress();
        var token = DevelopmentTokens.Mint("national", SteeringScopes.All, TimeSpan.FromHours(12));
        var target = $"{address.Host}:{address.Port}";
        Console.WriteLine($$$"""

            egov-steering sandbox is ready (sample data from the source article loaded).
              gRPC (h2c, reflection on): {{{address}}}
              data folder:               {{{app.Configuration[Sandbox.DataPathKey]}}}  (start with --reset to wipe it)
              development token (national, admin, 12 h):
                export TOKEN={{{token}}}

            Try:
              grpcurl -plaintext -H "authorization: Bearer $TOKEN" -d '{"committee":"committees/{{{SampleCommittees.GiaLai}}}","as_of":{"year":2020,"month":12,"day":31}}' {{{target}}} egov.steering.membership.v1.MembershipService/GetCommitteeView
              grpcurl -plaintext -H "authorization: Bearer $TOKEN" -d '{"name":"committees/{{{SampleCommittees.National}}}","as_of":{"year":2021,"month":10,"day":1}}' {{{target}}} egov.steering.membership.v1.MembershipService/GetCommittee
              grpcurl -plaintext -H "authorization: Bearer $TOKEN" -d '{"committee":"committees/{{{SampleCommittees.National}}}"}' {{{target}}} egov.steering.decisions.v1.DecisionsService/ListDecisions

            Watch the event feed (from the beginning, then live; Ctrl+C stops):
              grpcurl -plaintext -H "authorization: Bearer $TOKEN" -d '{"after_position":0}' {{{target}}} egov.steering.notifications.v1.NotificationsService/WatchEvents
              dotnet run --project services/Cli -- watch --from-beginning --address {{{address}}} --token $TOKEN

            Ctrl+C stops it; the data stays for the next start.
            """);
    }
}
