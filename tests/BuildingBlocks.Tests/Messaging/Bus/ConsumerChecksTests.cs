using Egov.Steering.Messaging;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging.Bus;

public sealed class ConsumerChecksTests
{
    [Fact]
    public void A_queue_is_stalled_only_when_two_checks_in_a_row_find_it_without_a_consumer()
    {
        var checks = new ConsumerChecks();

        Assert.Empty(checks.Observe(["outcomes", "events"]));
        Assert.Equal(["outcomes"], checks.Observe(["outcomes"]));
    }

    [Fact]
    public void A_queue_consumed_again_in_between_starts_over()
    {
        var checks = new ConsumerChecks();

        checks.Observe(["outcomes"]);
        Assert.Empty(checks.Observe([]));
        Assert.Empty(checks.Observe(["outcomes"]));
    }

    [Fact]
    public void A_cleared_history_needs_two_checks_again()
    {
        var checks = new ConsumerChecks();

        checks.Observe(["outcomes"]);
        checks.Clear();
        Assert.Empty(checks.Observe(["outcomes"]));
    }
}
