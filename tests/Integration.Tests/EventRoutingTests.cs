using Egov.Steering.Events.V1;
using Egov.Steering.Integration.Tests.Support;
using Egov.Steering.Membership.Events;
using Egov.Steering.Messaging;
using Egov.Steering.Storage;
using Egov.Steering.TestSupport;
using Google.Protobuf.WellKnownTypes;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;

namespace Egov.Steering.Integration.Tests;

/// <summary>
/// Events are routed by type on the real RabbitMQ: each service's queue, as its release step declares it, receives only
/// the events its consumer handles (Notifications' every one), and keeps its bindings across a broker restart.
/// </summary>
public sealed class EventRoutingTests : IAsyncLifetime
{
    private readonly PrivateBroker broker = new("integration-routing", TestInfrastructure.FreeRabbitMqPort());
    private readonly string prefix = "route-" + Guid.NewGuid().ToString("N")[..10];

    public Task InitializeAsync() => broker.StartAsync();

    public Task DisposeAsync() => broker.StopAsync();

    [Fact]
    public async Task Each_service_queue_receives_only_the_event_types_it_consumes_also_after_a_broker_restart()
    {
        await DeployAsync("membership", Membership.Extensions.MembershipModule().AddConsumers);
        await DeployAsync("decisions", Decisions.Extensions.DecisionsModule().AddConsumers);
        await DeployAsync("notifications", Notifications.Extensions.NotificationsModule().AddConsumers);

        await PublishOneOfEachTypeAsync();
        Assert.Equal((1u, 2u, 6u), await QueuedAsync());

        await broker.StopAsync();
        await broker.StartAsync();
        await PublishOneOfEachTypeAsync();
        Assert.Equal((2u, 4u, 12u), await QueuedAsync());
    }

    /// <summary>What the service's migrate verb does on the bus: its queues and bindings declared, nothing consumed.</summary>
    private async Task DeployAsync(string service, Action<IBusRegistrationConfigurator> consumers)
    {
        using var host = Host(service, consumers);
        foreach (var step in host.Services.GetServices<IReleaseStep>())
        {
            await step.RunAsync(CancellationToken.None);
        }
    }

    private async Task PublishOneOfEachTypeAsync()
    {
        using var host = Host("publisher", _ => { });
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<IBus>();
        foreach (var envelope in OneOfEachType())
        {
            // Publisher confirms: once Publish returns, the broker has routed the message.
            await bus.Publish(envelope, context => context.MessageId = Guid.Parse(envelope.Id));
        }

        await host.StopAsync();
    }

    private async Task<(uint Membership, uint Decisions, uint Notifications)> QueuedAsync()
    {
        var factory = new ConnectionFactory { Uri = broker.Uri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        async Task<uint> Count(string queue) => (await channel.QueueDeclarePassiveAsync($"{prefix}-{queue}")).MessageCount;
        return (await Count("membership-decision-events"), await Count("decisions-decision-outcome"), await Count("notifications-event-log"));
    }

    private IHost Host(string service, Action<IBusRegistrationConfigurator> consumers)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["ConnectionStrings:Database"] = "Data Source=:memory:",
            ["Cache:Provider"] = "Memory",
            ["Bus:Transport"] = "RabbitMQ",
            ["ConnectionStrings:RabbitMQ"] = broker.Uri.ToString(),
            ["Messaging:EndpointPrefix"] = $"{prefix}-{service}",
            ["Messaging:TopologyPrefix"] = prefix,
        });
        builder.Services.AddLogging();
        builder.AddMessaging(consumers);
        return builder.Build();
    }

    private static IEnumerable<EventEnvelope> OneOfEachType() =>
    [
        Event(envelope => envelope.DecisionIssued = new DecisionIssued()),
        Event(envelope => envelope.DecisionApplied = new DecisionApplied()),
        Event(envelope => envelope.DecisionRejected = new DecisionRejected()),
        Event(envelope => envelope.DecisionRevoked = new DecisionRevoked()),
        Event(envelope => envelope.CommitteeCreated = new CommitteeCreated()),
        Event(envelope => envelope.MembershipStarted = new MembershipStarted()),
    ];

    private static EventEnvelope Event(Action<EventEnvelope> carry)
    {
        var envelope = new EventEnvelope
        {
            Id = Guid.CreateVersion7().ToString(),
            Source = "//tests.steering.egov.gov.vn",
            Subject = "committees/bcd-route",
            Time = Timestamp.FromDateTime(DateTime.UtcNow),
            Aggregate = "committees/bcd-route",
            AggregateVersion = 1,
        };
        carry(envelope);
        envelope.Type = EventEnvelope.Descriptor.FindFieldByNumber((int)envelope.EventCase).MessageType.FullName;
        return envelope;
    }
}
