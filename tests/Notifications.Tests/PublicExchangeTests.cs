using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.TestSupport;

namespace Egov.Steering.Notifications.Tests;

public sealed class PublicExchangeTests
{
    [Fact]
    public async Task A_raw_client_bound_by_routing_key_decodes_every_logged_event_with_the_generated_parser()
    {
        var setup = await NotificationsHost.NewSetupAsync();
        // What a dashboard does: its own queue, bound to the events of one province.
        await using var exchange = await PublicExchangeTap.StartAsync(TestInfrastructure.RabbitMqUri, setup.Exchange, "province.province-2025-52.#");

        try
        {
            await using var host = await NotificationsHost.StartAsync(setup);
            var province = new TestCommittee();
            var ministry = new TestCommittee(Types.V1.CommitteeLevel.Ministry, "ministry-btttt");
            var sent = province.Next(5).Concat(ministry.Next(3)).ToList();
            await host.SendAsync(sent);

            await Eventually.WaitUntilAsync(
                () => Task.FromResult(exchange.Envelopes.Count(e => e.Committee == province.Name) == 5),
                "the province's five events on the public exchange");
            var mine = exchange.Received.Where(x => x.Envelope.Committee == province.Name || x.Envelope.Committee == ministry.Name).ToList();

            Assert.Equal(sent.Take(5).Select(e => e.Id), mine.Select(x => x.Envelope.Id));
            Assert.All(mine, x =>
            {
                Assert.Equal("province.province-2025-52.egov.steering.events.v1.MembershipStarted", x.RoutingKey);
                Assert.True(x.Envelope.Position > 0);
                Assert.Equal(x.Envelope.Position.ToString(System.Globalization.CultureInfo.InvariantCulture), x.Header("cloudEvents:position"));
                Assert.Equal(x.Envelope.Id, x.Header("cloudEvents:id"));
                Assert.Equal(x.Envelope.Type, x.Header("cloudEvents:type"));
                Assert.Equal("application/protobuf; proto=egov.steering.events.v1.EventEnvelope", x.Properties.ContentType);
                Assert.True(x.Properties.Persistent);
            });
            Assert.True(mine.Zip(mine.Skip(1)).All(pair => pair.First.Envelope.Position < pair.Second.Envelope.Position));
        }
        finally
        {
            await exchange.DeleteExchangeAsync(setup.Exchange);
        }
    }

    [Fact]
    public async Task Events_whose_confirms_the_broker_withholds_from_the_relays_connection_reach_the_exchange_over_a_new_one()
    {
        await using var proxy = new ConfirmSilencingAmqpProxy(TestInfrastructure.RabbitMqUri);
        var setup = await NotificationsHost.NewSetupAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMQ"] = proxy.Address.ToString(),
            ["Notifications:PublicExchange:ConfirmTimeout"] = "00:00:01",
        });
        await using var exchange = await PublicExchangeTap.StartAsync(TestInfrastructure.RabbitMqUri, setup.Exchange);
        try
        {
            await using var host = await NotificationsHost.StartAsync(setup);
            var committee = new TestCommittee();
            await host.SendAsync(committee.Next(2));
            await Eventually.WaitUntilAsync(() => exchange.Envelopes.Count() == 2, "the first two events on the public exchange");

            Assert.Equal(1, proxy.SilenceConfirms(PublicExchangeRelay.ConnectionName));
            var later = committee.Next(3);
            await host.SendAsync(later);
            await Eventually.WaitUntilAsync(
                () => later.All(sent => exchange.Envelopes.Any(e => e.Id == sent.Id)) && proxy.DroppedConfirms > 0,
                "the later events on the public exchange, their first confirms withheld");
        }
        finally
        {
            await exchange.DeleteExchangeAsync(setup.Exchange);
        }
    }
}
