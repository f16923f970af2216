using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.TestSupport;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.Notifications.Tests;

public sealed class PublicExchangeTests
{
    [Fact]
    public async Task A_raw_client_bound_by_routing_key_decodes_every_logged_event_with_the_generated_parser()
    {
        var setup = await NotificationsHost.NewSetupAsync();
        // What a dashboard does: its own queue, bound to the events of one province.
        await using var exchange = await PublicExchangeTap.StartOnOwnExchangeAsync(TestInfrastructure.RabbitMqUri, setup.Exchange, "province.province-2025-52.#");

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

    [Fact]
    public async Task A_wake_up_for_events_the_relay_already_published_runs_no_transaction()
    {
        // No poll in the test's time: the relay runs only when woken.
        var setup = await NotificationsHost.NewSetupAsync(new Dictionary<string, string?> { ["Notifications:Feed:PollInterval"] = "00:10:00" });
        await using var exchange = await PublicExchangeTap.StartOnOwnExchangeAsync(TestInfrastructure.RabbitMqUri, setup.Exchange);
        // One per relay pass (the webhook dispatcher, with no subscription, locks no cursor).
        var cursorLocks = new MatchingCommands(text => text.Contains("FROM feed_cursors", StringComparison.Ordinal) && text.Contains("FOR UPDATE", StringComparison.Ordinal));
        await using var host = await NotificationsHost.StartAsync(setup, services: services => services.AddSingleton<IInterceptor>(cursorLocks));
        var committee = new TestCommittee();
        await host.SendAsync(committee.Next());
        await Eventually.WaitUntilAsync(() => Task.FromResult(exchange.Envelopes.Count() == 1), "the first event on the exchange");
        var published = exchange.Envelopes.Single().Position;
        await cursorLocks.SettledAsync();
        var before = cursorLocks.Count;

        // As an append that committed while the relay's pass ran, and that pass published.
        var signal = host.Services.GetRequiredService<LogSignal>();
        for (var i = 0; i < 3; i++)
        {
            signal.Committed(published);
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal(before, cursorLocks.Count);

        await host.SendAsync(committee.Next());
        await Eventually.WaitUntilAsync(() => Task.FromResult(exchange.Envelopes.Count() == 2), "the next event on the exchange");
        Assert.True(cursorLocks.Count > before);
    }

    [Fact]
    public async Task A_relay_pass_locks_its_cursor_and_reads_the_events_after_it_in_one_statement()
    {
        var setup = await NotificationsHost.NewSetupAsync(new Dictionary<string, string?> { ["Notifications:Feed:PollInterval"] = "00:10:00" });
        await using var exchange = await PublicExchangeTap.StartOnOwnExchangeAsync(TestInfrastructure.RabbitMqUri, setup.Exchange);
        static bool TakesTheCursor(string text) => text.Contains("FROM feed_cursors", StringComparison.Ordinal) && text.Contains("FOR UPDATE SKIP LOCKED", StringComparison.Ordinal);
        var lockingReads = new MatchingCommands(text => TakesTheCursor(text) && text.Contains("FROM event_log", StringComparison.Ordinal));
        var locksAlone = new MatchingCommands(text => TakesTheCursor(text) && !text.Contains("FROM event_log", StringComparison.Ordinal));
        await using var host = await NotificationsHost.StartAsync(
            setup, services: services => services.AddSingleton<IInterceptor>(lockingReads).AddSingleton<IInterceptor>(locksAlone));
        await host.SendAsync(new TestCommittee().Next());
        await Eventually.WaitUntilAsync(() => Task.FromResult(exchange.Envelopes.Count() == 1), "the event on the exchange");
        await lockingReads.SettledAsync();

        Assert.True(lockingReads.Count >= 1);
        Assert.Equal(0, locksAlone.Count); // no round trip that only takes the cursor, with the read after it
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
        await using var exchange = await PublicExchangeTap.StartOnOwnExchangeAsync(TestInfrastructure.RabbitMqUri, setup.Exchange);
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
}
