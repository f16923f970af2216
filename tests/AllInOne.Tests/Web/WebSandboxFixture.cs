using Egov.Steering.Access;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.V1;
using Egov.Steering.TestSupport;
using Grpc.Core;

namespace Egov.Steering.AllInOne.Tests.Web;

/// <summary>
/// One sandbox for the JSON/HTTP API tests (a collection: its classes run one after another on it), with quick
/// heartbeats, three streams per caller, and one allowed CORS origin; ready once every sample decision's outcome is on the
/// feed, so the feed's first pages no longer change.
/// </summary>
public sealed class WebSandboxFixture : SandboxFixture
{
    public const string AllowedOrigin = "https://dashboard.example.vn";
    public const int MaxStreamsPerCaller = 3;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>For streams: closing one closes its connection at once (no draining), so the server sees it leave.</summary>
    public HttpClient StreamHttp { get; private set; } = null!;

    public static string AdminToken { get; } = DevelopmentTokens.Mint(
        "national", [SteeringScopes.Read, SteeringScopes.Write, SteeringScopes.Admin], TimeSpan.FromHours(1));

    public static string ReaderToken { get; } = DevelopmentTokens.Mint("province-2025-52", [SteeringScopes.Read], TimeSpan.FromHours(1));

    public Metadata Admin { get; } = new() { { "Authorization", "Bearer " + AdminToken } };

    protected override IEnumerable<string> Settings =>
    [
        "--Notifications:Feed:HeartbeatInterval=00:00:00.200",
        $"--Notifications:Feed:MaxStreamsPerCaller={MaxStreamsPerCaller}",
        $"--Web:Cors:AllowedOrigins:0={AllowedOrigin}",
    ];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Http = new HttpClient { BaseAddress = HttpAddress };
        StreamHttp = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = HttpAddress, Timeout = TimeSpan.FromMinutes(2) };
        var decisions = await new DecisionsService.DecisionsServiceClient(Channel).ListDecisionsAsync(new ListDecisionsRequest { PageSize = 500 }, Admin);
        var notifications = new NotificationsService.NotificationsServiceClient(Channel);
        var applied = new EventFilter { EventTypes = { DecisionApplied.Descriptor.FullName, DecisionRejected.Descriptor.FullName } };
        await Eventually.WaitUntilAsync(
            async () => (await notifications.ListEventsAsync(new ListEventsRequest { PageSize = 500, Filter = applied }, Admin)).Events.Count >= decisions.Decisions.Count,
            "every sample decision's outcome on the feed");
    }

    public override async Task DisposeAsync()
    {
        Http.Dispose();
        StreamHttp.Dispose();
        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WebSandboxCollection : ICollectionFixture<WebSandboxFixture>
{
    public const string Name = "Web sandbox";
}
