using System.Text.RegularExpressions;
using Egov.Steering.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging.Bus;

/// <summary>A bus whose consumer stopped consuming when the broker went away consumes again, or says it cannot (ConsumerWatchdog).</summary>
public sealed class ConsumerRecoveryTests
{
    [Fact]
    public Task An_endpoint_a_bus_restart_left_stopped_while_it_waited_to_reconnect_is_restarted_and_consumes() =>
        OnBrokerOfItsOwnAsync("endpoint-stopped", x => x.AddConsumer<RecordingConsumer>(), async (broker, bus) =>
        {
            var control = bus.Services.GetRequiredService<IBusControl>();

            // Back from a broker restart, the endpoint waits seconds before it reconnects; a bus restart then (as for
            // unconfirmed publishes) stops it, and MassTransit's start does not start it again.
            await broker.StopAsync();
            await broker.StartAsync();
            await control.StopAsync();
            await control.StartAsync();
            var envelope = TestBus.NewEvent();
            await bus.Bus.Publish(envelope);

            Assert.Equal(envelope, (await bus.Deliveries.WaitAsync<ReceivedEvent>(envelope.Id)).Message);
        });

    [Fact]
    public Task A_queue_its_endpoint_has_not_consumed_for_long_though_the_broker_answers_fails_liveness_until_it_is_consumed_again() =>
        OnBrokerOfItsOwnAsync("consume-refused", x => x.AddConsumer<RecordingConsumer>(), async (broker, bus) =>
        {
            var queue = bus.QueueOf<RecordingConsumer>();

            // The broker refuses the endpoint when it reconnects, and again when the watchdog restarts it.
            await broker.CtlAsync("set_permissions", "guest", ".*", ".*", $"^(?!{Regex.Escape(queue)}$).*");
            await broker.CtlAsync("close_all_connections", "test: consume refused");
            await Eventually.WaitUntilAsync(async () => await bus.ConsumersLivenessAsync() is { Status: HealthStatus.Unhealthy }, "liveness failing");
            Assert.Contains(queue, (await bus.ConsumersLivenessAsync()).Description);

            await broker.CtlAsync("set_permissions", "guest", ".*", ".*", ".*");
            var envelope = TestBus.NewEvent();
            await bus.Bus.Publish(envelope);
            Assert.Equal(envelope, (await bus.Deliveries.WaitAsync<ReceivedEvent>(envelope.Id)).Message);
            await Eventually.WaitUntilAsync(async () => await bus.ConsumersLivenessAsync() is { Status: HealthStatus.Healthy }, "liveness passing again");
        });

    [Fact]
    public Task A_message_in_hand_when_the_broker_stops_is_delivered_again_and_later_ones_follow_once_it_is_back() =>
        OnBrokerOfItsOwnAsync("consume-restart", x => x.AddConsumer<HoldingConsumer>(), async (broker, bus) =>
        {
            var hold = bus.Services.GetRequiredService<Hold>();
            var held = TestBus.NewEvent();
            hold.EventId = held.Id;

            await bus.Bus.Publish(held);
            await hold.Started.WaitAsync(TimeSpan.FromMinutes(1));
            await broker.StopAsync();
            hold.Release();
            await broker.StartAsync();
            var later = TestBus.NewEvent();
            await bus.Bus.Publish(later);

            Assert.Equal(held, (await bus.Deliveries.WaitAsync<ReceivedEvent>(held.Id)).Message);
            Assert.Equal(later, (await bus.Deliveries.WaitAsync<ReceivedEvent>(later.Id)).Message);
        });

    /// <summary>Runs <paramref name="test"/> on a bus of <paramref name="consumers"/> whose watchdog checks every second, on a broker of the test's own.</summary>
    private static async Task OnBrokerOfItsOwnAsync(
        string brokerName, Action<IBusRegistrationConfigurator> consumers, Func<PrivateBroker, TestBus, Task> test)
    {
        var broker = new PrivateBroker(brokerName, TestInfrastructure.FreeRabbitMqPort());
        await broker.StartAsync();
        try
        {
            await using var bus = await TestBus.StartAsync(
                consumers, broker: broker.Uri, settings: new Dictionary<string, string?> { ["Messaging:ConsumerCheckInterval"] = "00:00:01" });
            await test(broker, bus);
        }
        finally
        {
            await broker.StopAsync();
        }
    }
}
