using Egov.Steering.Access;
using Egov.Steering.Events.V1;
using Egov.Steering.Membership.V1;
using Egov.Steering.Notifications.V1;
using Egov.Steering.TestSupport;
using Grpc.Core;
using T = Egov.Steering.Types.V1;

namespace Egov.Steering.AllInOne.Tests.Cli;

/// <summary>What the watch tests do to a sandbox: run steeringctl against it, read its log, change the register.</summary>
internal static class FeedSteps
{
    public static readonly string ReadToken = DevelopmentTokens.Mint("national", [SteeringScopes.Read], TimeSpan.FromHours(1));

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(
        SandboxFixture sandbox, CancellationToken cancellationToken, params string[] args) =>
        Steeringctl.RunAsync(cancellationToken, [.. args, "--address", "http://" + sandbox.Channel.Target, "--token", ReadToken]);

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(SandboxFixture sandbox, params string[] args) =>
        RunAsync(sandbox, CancellationToken.None, args);

    /// <summary>The whole log as ListEvents pages it, oldest first.</summary>
    public static async Task<List<EventEnvelope>> LoggedAsync(SandboxFixture sandbox, EventFilter? filter = null)
    {
        var client = new NotificationsService.NotificationsServiceClient(sandbox.Channel);
        var request = new ListEventsRequest { PageSize = 500, Filter = filter };
        var all = new List<EventEnvelope>();
        do
        {
            var page = await client.ListEventsAsync(request, sandbox.Reader);
            all.AddRange(page.Events);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return all;
    }

    public static async Task<long> LastPositionAsync(SandboxFixture sandbox) => (await LoggedAsync(sandbox)).LastOrDefault()?.Position ?? 0;

    /// <summary>A fresh committee id, so that each test watches its own change.</summary>
    public static string NewCommitteeId() => "watch-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// A ministry's clerk registering its committee: the smallest change the register publishes an event for. A
    /// ministry has one committee at a time: each test registers one for a ministry of its own.
    /// </summary>
    public static Task<Committee> CreateCommitteeAsync(SandboxFixture sandbox, string ministry, string id, string displayName) =>
        new MembershipService.MembershipServiceClient(sandbox.Channel).CreateCommitteeAsync(
            new CreateCommitteeRequest
            {
                CommitteeId = id,
                Committee = new Committee
                {
                    DisplayName = displayName,
                    Level = T.CommitteeLevel.Ministry,
                    Jurisdiction = ministry,
                    Parent = $"committees/{SampleCommittees.National}",
                    FoundingDate = new T.CivilDate { Year = 2021, Precision = T.DatePrecision.Year },
                },
                RequestId = Guid.NewGuid().ToString(),
            },
            WriterOf(ministry)).ResponseAsync;

    public static Task<Committee> DescribeCommitteeAsync(SandboxFixture sandbox, Committee committee, string description) =>
        new MembershipService.MembershipServiceClient(sandbox.Channel).UpdateCommitteeAsync(
            new UpdateCommitteeRequest
            {
                Committee = new Committee { Name = committee.Name, Etag = committee.Etag, Description = description },
                UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "description" } },
                RequestId = Guid.NewGuid().ToString(),
            },
            WriterOf(committee.Jurisdiction)).ResponseAsync;

    /// <summary>The one event logged about <paramref name="committee"/>, once Notifications has logged it.</summary>
    public static async Task<EventEnvelope> LoggedCreationAsync(SandboxFixture sandbox, Committee committee)
    {
        var filter = new EventFilter { Committees = { committee.Name } };
        List<EventEnvelope> logged = [];
        await Eventually.WaitUntilAsync(async () => (logged = await LoggedAsync(sandbox, filter)).Count > 0, $"{committee.Name} logged");
        return Assert.Single(logged);
    }

    private static Metadata WriterOf(string organisation) => new()
    {
        { "Authorization", "Bearer " + DevelopmentTokens.Mint(organisation, [SteeringScopes.Read, SteeringScopes.Write], TimeSpan.FromHours(1)) },
    };

    /// <summary>The envelopes of <c>watch -o json</c>: one JSON object per line.</summary>
    public static List<EventEnvelope> JsonLines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Google.Protobuf.JsonParser.Default.Parse<EventEnvelope>).ToList();
}
