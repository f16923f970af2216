using Egov.Steering.Decisions.Tests.Support;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Events.V1;
using Egov.Steering.Types.V1;
using RabbitMQ.Client;
using Egov.Steering.TestSupport;

namespace Egov.Steering.Decisions.Tests.Events;

/// <summary>
/// The Decisions service on a real RabbitMQ of its own (restarted by one test): DecisionIssued leaves through the
/// outbox as an EventEnvelope any client decodes, Membership's outcomes published on the bus are recorded, and a
/// broker restart between issue and outcome loses nothing.
/// </summary>
public sealed class RabbitMqTests : IAsyncLifetime
{
    private const string BrokerName = "decisions-bus";
    private static readonly int BrokerPort = TestInfrastructure.FreeRabbitMqPort();
    private static readonly Uri Broker = new($"amqp://guest:guest@127.0.0.1:{BrokerPort}/");

    private readonly string eventQueue = $"decisions-test-events-{Guid.NewGuid():N}";
    private FakeMembership membership = null!;
    private DecisionsHost host = null!;
    private DecisionsService.DecisionsServiceClient giaLai = null!;

    public async Task InitializeAsync()
    {
        await TestInfrastructure.StartOwnAsync(InfrastructureKind.RabbitMq, BrokerName, BrokerPort);
        membership = await FakeMembership.StartAsync();
        host = await DecisionsHost.StartAsync(membership.Address, Broker);
        giaLai = host.Client(Drafts.GiaLai);

        // What a dashboard or Membership would bind: a durable queue on the public event exchange.
        var eventExchange = $"{host.TopologyPrefix}.Egov.Steering.Events.V1:EventEnvelope.by-type";
        await WithChannelAsync(async channel =>
        {
            await channel.ExchangeDeclareAsync(eventExchange, ExchangeType.Headers, durable: true);
            await channel.QueueDeclareAsync(eventQueue, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueBindAsync(eventQueue, eventExchange, routingKey: string.Empty);
        });
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await membership.DisposeAsync();
        await TestInfrastructure.StopOwnAsync(InfrastructureKind.RabbitMq, BrokerName);
    }

    [Fact]
    public async Task DecisionIssued_leaves_through_the_outbox_as_an_EventEnvelope_decoded_from_the_proto_alone()
    {
        var issued = await giaLai.DraftAndIssueAsync(Drafts.GiaLaiConsolidation("337/QĐ-UBND"));

        var (envelope, contentType) = await ReceiveAsync(issued.Name);

        Assert.Equal("application/protobuf; proto=egov.steering.events.v1.EventEnvelope", contentType);
        Assert.Equal(EventEnvelope.EventOneofCase.DecisionIssued, envelope.EventCase);
        Assert.Equal(issued, envelope.DecisionIssued.Decision);
        Assert.Equal(Drafts.GiaLai, envelope.Jurisdiction);
    }

    [Fact]
    public async Task Outcomes_published_on_the_bus_are_recorded_and_an_applied_revocation_emits_DecisionRevoked()
    {
        var applied = await giaLai.DraftAndIssueAsync(Drafts.GiaLaiConsolidation("1/QĐ-UBND"));
        var rejected = await giaLai.DraftAndIssueAsync(Drafts.GiaLaiConsolidation("2/QĐ-UBND"));
        var reason = new ValidationProblem { Field = "changes[0].appoint.entry.roles", Reason = "SECOND_CHAIR", Description = "đã có Trưởng ban" };

        await host.PublishAsync(Outcomes.Applied(applied.Name));
        await host.PublishAsync(Outcomes.Rejected(rejected.Name, reason));

        await giaLai.WaitForStateAsync(applied.Name, DecisionState.Applied);
        Assert.Equal([reason], (await giaLai.WaitForStateAsync(rejected.Name, DecisionState.Rejected)).RejectionReasons);

        var revoking = await giaLai.RevokeDecisionAsync(new RevokeDecisionRequest { Name = applied.Name, RevokingDecision = Drafts.Revocation() });
        var appliedRevocation = Outcomes.Applied(revoking.Name);
        await host.PublishAsync(appliedRevocation);
        await giaLai.WaitForStateAsync(applied.Name, DecisionState.Revoked);

        var (revokedEvent, _) = await ReceiveAsync(applied.Name, EventEnvelope.EventOneofCase.DecisionRevoked);
        Assert.Equal(2, revokedEvent.AggregateVersion);
        Assert.Equal(appliedRevocation.Id, revokedEvent.CausationId);
        Assert.Equal(revoking.Name, revokedEvent.DecisionRevoked.RevokingDecision);
        Assert.Equal(Drafts.Revocation().EffectiveDate, revokedEvent.DecisionRevoked.EffectiveDate);
    }

    [Fact]
    public async Task A_broker_restart_between_issue_and_outcome_loses_nothing()
    {
        await TestInfrastructure.StopOwnAsync(InfrastructureKind.RabbitMq, BrokerName);
        var issued = await giaLai.DraftAndIssueAsync(Drafts.GiaLaiConsolidation("337/QĐ-UBND")); // committed to the outbox while the broker is down
        await TestInfrastructure.StartOwnAsync(InfrastructureKind.RabbitMq, BrokerName, BrokerPort);

        var (envelope, _) = await ReceiveAsync(issued.Name);
        Assert.Equal(issued, envelope.DecisionIssued.Decision);

        await host.PublishAsync(Outcomes.Applied(issued.Name));
        await giaLai.WaitForStateAsync(issued.Name, DecisionState.Applied);
    }



    // Reads the test's queue until the event about `subject` arrives (other events are acknowledged and skipped).
    private async Task<(EventEnvelope Envelope, string ContentType)> ReceiveAsync(
        string subject, EventEnvelope.EventOneofCase kind = EventEnvelope.EventOneofCase.DecisionIssued)
    {
        (EventEnvelope, string)? found = null;
        await Eventually.WaitUntilAsync(
            async () =>
            {
                try
                {
                    await WithChannelAsync(async channel =>
                    {
                        while (found is null && await channel.BasicGetAsync(eventQueue, autoAck: true) is { } message)
                        {
                            var envelope = EventEnvelope.Parser.ParseFrom(message.Body.Span);
                            if (envelope.Subject == subject && envelope.EventCase == kind)
                            {
                                found = (envelope, message.BasicProperties.ContentType ?? string.Empty);
                            }
                        }
                    });
                }
                catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException)
                {
                    // still starting
                }

                return found is not null;
            },
            $"{kind} of {subject} on {eventQueue}");
        return found!.Value;
    }

    private static async Task WithChannelAsync(Func<IChannel, Task> use)
    {
        await using var connection = await new ConnectionFactory { Uri = Broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await use(channel);
    }
}
