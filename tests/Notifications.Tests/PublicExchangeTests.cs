using System.Collections.Concurrent;
using System.Text;
using Egov.Steering.BuildingBlocks.Tests.Infrastructure;
using Egov.Steering.Events.V1;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Egov.Steering.Notifications.Tests;

public sealed class PublicExchangeTests
{
    [Fact]
    public async Task A_raw_client_bound_by_routing_key_decodes_every_logged_event_with_the_generated_parser()
    {
        var setup = await NotificationsHost.NewSetupAsync();
        var factory = new ConnectionFactory { Uri = TestInfrastructure.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        // What a dashboard does: its own queue, bound to the events of one province.
        await channel.ExchangeDeclareAsync(setup.Exchange, ExchangeType.Topic, durable: true, autoDelete: false);
        var queue = (await channel.QueueDeclareAsync(exclusive: true)).QueueName;
        await channel.QueueBindAsync(queue, setup.Exchange, "province.province-2025-52.#");
        var received = new ConcurrentQueue<BasicDeliverEventArgs>();
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            received.Enqueue(new BasicDeliverEventArgs(
                delivery.ConsumerTag, delivery.DeliveryTag, delivery.Redelivered, delivery.Exchange, delivery.RoutingKey,
                delivery.BasicProperties, delivery.Body.ToArray(), delivery.CancellationToken));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);

        try
        {
            await using var host = await NotificationsHost.StartAsync(setup);
            var province = new TestCommittee();
            var ministry = new TestCommittee(Types.V1.CommitteeLevel.Ministry, "ministry-btttt");
            var sent = province.Next(5).Concat(ministry.Next(3)).ToList();
            await host.SendAsync(sent);

            await Eventually.WaitUntilAsync(
                () => Task.FromResult(received.Count(d => EventEnvelope.Parser.ParseFrom(d.Body.Span).Committee == province.Name) == 5),
                "the province's five events on the public exchange");
            var mine = received.Select(d => (Delivery: d, Envelope: EventEnvelope.Parser.ParseFrom(d.Body.Span)))
                .Where(x => x.Envelope.Committee == province.Name || x.Envelope.Committee == ministry.Name)
                .ToList();

            Assert.Equal(sent.Take(5).Select(e => e.Id), mine.Select(x => x.Envelope.Id));
            Assert.All(mine, x =>
            {
                Assert.Equal("province.province-2025-52.egov.steering.events.v1.MembershipStarted", x.Delivery.RoutingKey);
                Assert.True(x.Envelope.Position > 0);
                Assert.Equal(x.Envelope.Position.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(x.Delivery, "cloudEvents:position"));
                Assert.Equal(x.Envelope.Id, Header(x.Delivery, "cloudEvents:id"));
                Assert.Equal(x.Envelope.Type, Header(x.Delivery, "cloudEvents:type"));
                Assert.Equal("application/protobuf; proto=egov.steering.events.v1.EventEnvelope", x.Delivery.BasicProperties.ContentType);
                Assert.True(x.Delivery.BasicProperties.Persistent);
            });
            Assert.True(mine.Zip(mine.Skip(1)).All(pair => pair.First.Envelope.Position < pair.Second.Envelope.Position));
        }
        finally
        {
            await channel.ExchangeDeleteAsync(setup.Exchange);
        }
    }

    private static string? Header(BasicDeliverEventArgs delivery, string name) =>
        delivery.BasicProperties.Headers?.TryGetValue(name, out var value) == true && value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : null;
}
