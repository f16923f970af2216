using Egov.Steering.Messaging;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging.Bus;

public sealed class ConsumerChecksTests
{
    private static readonly ConsumedQueue Outcomes = new("outcomes", EndpointHealthy: true);
    private static readonly ConsumedQueue Events = new("events", EndpointHealthy: true);
    private static readonly ConsumedQueue OutcomesReconnecting = Outcomes with { EndpointHealthy = false };

    [Fact]
    public void A_queue_whose_endpoint_is_healthy_is_dropped_when_two_checks_in_a_row_find_it_without_a_consumer()
    {
        var checks = new ConsumerChecks();

        Assert.Empty(checks.Observe([Outcomes, Events]).Dropped);
        var stalls = checks.Observe([Outcomes]);
        Assert.Equal(["outcomes"], stalls.Dropped);
        Assert.Empty(stalls.Abandoned);
    }

    [Fact]
    public void A_queue_whose_endpoint_is_not_healthy_is_abandoned_when_eight_checks_in_a_row_find_it_without_a_consumer()
    {
        var checks = new ConsumerChecks();

        for (var check = 1; check < 8; check++)
        {
            var early = checks.Observe([OutcomesReconnecting]);
            Assert.Empty(early.Dropped);
            Assert.Empty(early.Abandoned);
        }

        var stalls = checks.Observe([OutcomesReconnecting]);
        Assert.Empty(stalls.Dropped);
        Assert.Equal(["outcomes"], stalls.Abandoned);
        Assert.Empty(stalls.Lost);
    }

    [Fact]
    public void A_restarted_endpoint_s_queue_starts_its_count_over_and_the_others_keep_theirs()
    {
        var checks = new ConsumerChecks();
        var eventsReconnecting = Events with { EndpointHealthy = false };
        for (var check = 1; check < 8; check++)
        {
            checks.Observe([OutcomesReconnecting, eventsReconnecting]);
        }

        checks.EndpointRestarted("outcomes");
        Assert.Equal(["events"], checks.Observe([OutcomesReconnecting, eventsReconnecting]).Abandoned);
    }

    [Fact]
    public void A_queue_abandoned_again_after_its_endpoint_was_restarted_is_lost()
    {
        var checks = new ConsumerChecks();
        Assert.Equal(["outcomes"], EighthCheck(checks, OutcomesReconnecting).Abandoned);
        checks.EndpointRestarted("outcomes");

        var stalls = EighthCheck(checks, OutcomesReconnecting);
        Assert.Empty(stalls.Abandoned);
        Assert.Equal(["outcomes"], stalls.Lost);
    }

    [Fact]
    public void An_endpoint_stopped_again_by_a_bus_restart_after_its_own_restart_is_restarted_again_before_it_is_lost()
    {
        var checks = new ConsumerChecks();
        EighthCheck(checks, OutcomesReconnecting);
        checks.EndpointRestarted("outcomes");

        // Another queue's dropped consumer restarts the bus, which stops the endpoint while it reconnects.
        checks.Clear();
        AssertRestartedAgainAtTheEighthCheck(checks);
    }

    [Fact]
    public void A_restarted_endpoint_that_consumed_again_is_restarted_again_when_abandoned_later()
    {
        var checks = new ConsumerChecks();
        checks.EndpointRestarted("outcomes");
        checks.Observe([]);

        AssertRestartedAgainAtTheEighthCheck(checks);
    }

    [Fact]
    public void Checks_without_a_consumer_count_across_a_change_of_the_endpoint_s_health()
    {
        var checks = new ConsumerChecks();

        checks.Observe([OutcomesReconnecting]);
        Assert.Equal(["outcomes"], checks.Observe([Outcomes]).Dropped);
    }

    [Fact]
    public void A_queue_consumed_again_in_between_starts_over()
    {
        var checks = new ConsumerChecks();

        checks.Observe([Outcomes]);
        Assert.Empty(checks.Observe([]).Dropped);
        Assert.Empty(checks.Observe([Outcomes]).Dropped);
    }

    [Fact]
    public void A_cleared_history_needs_two_checks_again()
    {
        var checks = new ConsumerChecks();

        checks.Observe([Outcomes]);
        checks.Clear();
        Assert.Empty(checks.Observe([Outcomes]).Dropped);
    }

    private static void AssertRestartedAgainAtTheEighthCheck(ConsumerChecks checks)
    {
        var stalls = EighthCheck(checks, OutcomesReconnecting);
        Assert.Equal(["outcomes"], stalls.Abandoned);
        Assert.Empty(stalls.Lost);
    }

    // The stalls the eighth check in a row finds, the queue without a consumer at each.
    private static ConsumerStalls EighthCheck(ConsumerChecks checks, ConsumedQueue unconsumed)
    {
        for (var check = 1; check < 8; check++)
        {
            checks.Observe([unconsumed]);
        }

        return checks.Observe([unconsumed]);
    }
}
