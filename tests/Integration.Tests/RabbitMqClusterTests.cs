using System.Globalization;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Integration.Tests.Support;
using Egov.Steering.Notifications.V1;
using Egov.Steering.TestSupport;
using Egov.Steering.Types.V1;
using static Egov.Steering.Integration.Tests.Support.GiaLai;

namespace Egov.Steering.Integration.Tests;

/// <summary>
/// The services on a three-node RabbitMQ cluster (quorum queues, connections to any node): the node leading the queues
/// stops while decisions are being issued, and nothing is lost or done twice.
/// </summary>
public sealed class RabbitMqClusterTests : IAsyncLifetime
{
    private const int Appointments = 24;

    private readonly string cluster = "cluster-" + Guid.NewGuid().ToString("N")[..6];
    private readonly int[] ports = FreeNodePorts(3);
    private readonly HashSet<int> stopped = [];
    private SteeringSystem system = null!;

    // xUnit calls no DisposeAsync when this fails: the nodes are stopped here then, or they outlive the run.
    public async Task InitializeAsync()
    {
        try
        {
            await TestInfrastructure.StartOwnRabbitMqClusterAsync(cluster, ports);
            var first = new Uri($"amqp://guest:guest@127.0.0.1:{ports[0]}/");
            system = await SteeringSystem.StartAsync(first, [.. ports[1..].Select(port => $"127.0.0.1:{port}")]);
        }
        catch
        {
            await StopNodesAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            await system.DisposeAsync();
        }
        finally
        {
            await StopNodesAsync();
        }
    }

    private async Task StopNodesAsync()
    {
        foreach (var node in Enumerable.Range(1, ports.Length).Where(node => !stopped.Contains(node)))
        {
            await TestInfrastructure.StopOwnAsync(InfrastructureKind.RabbitMq, $"{cluster}-{node}");
        }
    }

    [Fact]
    public async Task Decisions_issued_while_the_node_leading_the_queues_stops_are_each_applied_once_and_reach_the_feed_once()
    {
        var gialai = new GiaLai(system);
        var chair = await gialai.PersonAsync("Võ Ngọc Thành");
        await gialai.ApplyAsync(Founding(chair));
        var members = await Task.WhenAll(Enumerable.Range(1, Appointments).Select(i => gialai.PersonAsync($"Thành viên số {i}")));
        var queueTypes = await TestInfrastructure.RabbitMqCtlAsync($"{cluster}-1", "list_queues", "name", "type", "--no-table-headers");
        Assert.Contains(queueTypes.Split('\n'), line => line.Contains("-membership-decision-events\t", StringComparison.Ordinal) && line.EndsWith("\tquorum", StringComparison.Ordinal));

        // Issued in waves; the leader stops once the first wave is on its way, while the others are issued.
        var leader = await LeaderOfAsync("-membership-decision-events");
        var issuing = members.Select((person, i) => IssueAfterAsync(gialai, person, i, delay: TimeSpan.FromMilliseconds(150 * (i / 4)))).ToList();
        await issuing[3];
        await TestInfrastructure.StopOwnAsync(InfrastructureKind.RabbitMq, $"{cluster}-{leader}");
        stopped.Add(leader);
        var issued = await Task.WhenAll(issuing);

        await system.ExplainingTimeoutAsync(
            async () =>
            {
                foreach (var decision in issued)
                {
                    await gialai.OutcomeAsync(decision.Name);
                }
            },
            QueuesAsync);

        var seated = await gialai.MembersAsync();
        Assert.Equal([(chair, MembershipRole.Chair), .. members.Select(person => (person, MembershipRole.Member)).Order()], [seated[0], .. seated.Skip(1).Order()]);

        var feed = system.NotificationsClient(Province);
        IReadOnlyList<Events.V1.EventEnvelope> events = [];
        await system.ExplainingTimeoutAsync(
            () => Eventually.WaitUntilAsync(
                async () => (events = await AllEventsAsync(feed))
                    .Count(e => e.Type == "egov.steering.events.v1.DecisionApplied" && issued.Any(d => d.Name == e.Subject)) >= Appointments,
                "every decision's DecisionApplied on the feed"),
            QueuesAsync);
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
        foreach (var decision in issued)
        {
            Assert.Single(events, e => e.Type == "egov.steering.events.v1.DecisionIssued" && e.Subject == decision.Name);
            Assert.Single(events, e => e.Type == "egov.steering.events.v1.DecisionApplied" && e.Subject == decision.Name);
        }
    }

    private static async Task<Decision> IssueAfterAsync(GiaLai gialai, string person, int index, TimeSpan delay)
    {
        await Task.Delay(delay);
        var number = (1000 + index).ToString(CultureInfo.InvariantCulture) + "/QĐ-UBND";
        return await gialai.IssueAsync(Draft(number, Day(2020, 1, 1 + index), DecisionKind.Amend, Appoint(person, MembershipRole.Member)));
    }

    /// <summary>Every queue on the nodes still running: its leader, members and messages ready, unacknowledged and consumed.</summary>
    private Task<string> QueuesAsync()
    {
        var running = Enumerable.Range(1, ports.Length).First(node => !stopped.Contains(node));
        return TestInfrastructure.RabbitMqCtlAsync(
            $"{cluster}-{running}", "list_queues", "name", "type", "leader", "online", "messages_ready", "messages_unacknowledged", "consumers");
    }

    /// <summary>The node (1-based) that leads the quorum queue whose name ends with <paramref name="suffix"/>.</summary>
    private async Task<int> LeaderOfAsync(string suffix)
    {
        var lines = await TestInfrastructure.RabbitMqCtlAsync($"{cluster}-1", "list_queues", "name", "leader", "--no-table-headers");
        var leader = lines.Split('\n').Select(line => line.Split('\t')).Single(columns => columns[0].EndsWith(suffix, StringComparison.Ordinal))[1];
        return Enumerable.Range(1, ports.Length).Single(node => leader.StartsWith($"{TestInfrastructure.OwnInstance($"{cluster}-{node}")}-", StringComparison.Ordinal));
    }

    private static async Task<IReadOnlyList<Events.V1.EventEnvelope>> AllEventsAsync(NotificationsService.NotificationsServiceClient feed)
    {
        var events = new List<Events.V1.EventEnvelope>();
        var request = new ListEventsRequest { PageSize = 500 };
        do
        {
            var page = await feed.ListEventsAsync(request);
            events.AddRange(page.Events);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return events;
    }

    private static int[] FreeNodePorts(int count)
    {
        var ports = new List<int>();
        while (ports.Count < count)
        {
            var port = TestInfrastructure.FreeRabbitMqPort();
            if (!ports.Contains(port))
            {
                ports.Add(port);
            }
        }

        return [.. ports];
    }
}
