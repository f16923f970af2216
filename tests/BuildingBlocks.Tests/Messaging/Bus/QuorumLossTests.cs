using System.Globalization;
using Egov.Steering.TestSupport;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging.Bus;

/// <summary>
/// A bus on a three-node RabbitMQ cluster that loses two nodes: its quorum queues have no leader and the broker takes
/// no consumer, which no restart of the service mends (ConsumerWatchdog, ConsumerProbe).
/// </summary>
public sealed class QuorumLossTests : IAsyncLifetime
{
    // The watchdog checks every second: before the probe, liveness failed ~40 s into the loss (restart of the endpoint
    // at 8 checks without a consumer, lost at 16, each check waiting on consumes the broker left unanswered).
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(60);

    private readonly string cluster = "quorum-loss-" + Guid.NewGuid().ToString("N")[..6];
    private readonly int[] ports = [TestInfrastructure.FreeRabbitMqPort(), TestInfrastructure.FreeRabbitMqPort(), TestInfrastructure.FreeRabbitMqPort()];

    public Task InitializeAsync() => TestInfrastructure.StartOwnRabbitMqClusterAsync(cluster, ports);

    public async Task DisposeAsync()
    {
        for (var node = 1; node <= ports.Length; node++)
        {
            await TestInfrastructure.StopOwnAsync(InfrastructureKind.RabbitMq, Node(node));
        }
    }

    [Fact]
    public async Task A_bus_whose_queues_lost_their_quorum_stays_live_and_consumes_once_the_nodes_are_back()
    {
        await using var bus = await TestBus.StartAsync(
            x => x.AddConsumer<RecordingConsumer>(),
            broker: new Uri($"amqp://guest:guest@127.0.0.1:{ports[0]}/"),
            settings: new Dictionary<string, string?>
            {
                ["Messaging:ConsumerCheckInterval"] = "00:00:01",
                ["Messaging:ClusterNodes:0"] = Address(ports[1]),
                ["Messaging:ClusterNodes:1"] = Address(ports[2]),
            });

        await TestInfrastructure.StopOwnAsync(InfrastructureKind.RabbitMq, Node(1));
        await TestInfrastructure.StopOwnAsync(InfrastructureKind.RabbitMq, Node(2));
        var failures = new List<string>();
        for (var until = DateTime.UtcNow + Outage; DateTime.UtcNow < until; await Task.Delay(TimeSpan.FromSeconds(1)))
        {
            var liveness = await bus.ConsumersLivenessAsync();
            if (liveness.Status != HealthStatus.Healthy)
            {
                failures.Add(liveness.Description ?? liveness.Status.ToString());
            }
        }

        Assert.Empty(failures);

        await TestInfrastructure.StartOwnAsync(InfrastructureKind.RabbitMq, Node(1), ports[0]);
        await TestInfrastructure.StartOwnAsync(InfrastructureKind.RabbitMq, Node(2), ports[1]);
        var envelope = TestBus.NewEvent();
        await bus.Bus.Publish(envelope);
        Assert.Equal(envelope, (await bus.Deliveries.WaitAsync<ReceivedEvent>(envelope.Id)).Message);
    }

    private string Node(int node) => $"{cluster}-{node}";

    private static string Address(int port) => "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
}
