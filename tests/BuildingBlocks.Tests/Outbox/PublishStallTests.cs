using Egov.Steering.Messaging.Outbox;

namespace Egov.Steering.BuildingBlocks.Tests.Outbox;

public sealed class PublishStallTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void One_unconfirmed_publish_calls_for_nothing_a_stall_lasting_the_timeout_does()
    {
        var stall = new PublishStall(Timeout);

        Assert.Null(stall.Unconfirmed(Start));
        Assert.Null(stall.Unconfirmed(Start + Timeout - TimeSpan.FromSeconds(1)));
        Assert.Equal(Start, stall.Unconfirmed(Start + Timeout));
    }

    [Fact]
    public void A_confirmed_publish_ends_the_stall()
    {
        var stall = new PublishStall(Timeout);
        stall.Unconfirmed(Start);

        stall.Confirmed();

        Assert.Null(stall.Unconfirmed(Start + Timeout));
        Assert.Equal(Start + Timeout, stall.Unconfirmed(Start + (2 * Timeout)));
    }

    [Fact]
    public void Each_restart_that_does_not_end_the_stall_doubles_the_wait_for_the_next()
    {
        var stall = new PublishStall(Timeout);
        stall.Unconfirmed(Start);
        var restartedAt = Start + Timeout;

        stall.Restarted(restartedAt);
        Assert.Null(stall.Unconfirmed(restartedAt + Timeout));
        Assert.Equal(restartedAt, stall.Unconfirmed(restartedAt + (2 * Timeout)));

        stall.Restarted(restartedAt + (2 * Timeout));
        Assert.Null(stall.Unconfirmed(restartedAt + (5 * Timeout)));
        Assert.NotNull(stall.Unconfirmed(restartedAt + (6 * Timeout)));
    }

    [Fact]
    public void The_wait_stops_doubling_at_64_timeouts()
    {
        var stall = new PublishStall(Timeout);
        stall.Unconfirmed(Start);
        var now = Start;
        for (var restart = 0; restart < 10; restart++)
        {
            stall.Restarted(now);
        }

        Assert.Null(stall.Unconfirmed(now + (63 * Timeout)));
        Assert.Equal(now, stall.Unconfirmed(now + (64 * Timeout)));
    }

    [Fact]
    public void A_confirmed_publish_after_restarts_starts_the_next_stall_at_the_plain_timeout()
    {
        var stall = new PublishStall(Timeout);
        stall.Unconfirmed(Start);
        stall.Restarted(Start + Timeout);
        stall.Restarted(Start + (3 * Timeout));

        stall.Confirmed();
        var later = Start + TimeSpan.FromHours(1);

        Assert.Null(stall.Unconfirmed(later));
        Assert.Equal(later, stall.Unconfirmed(later + Timeout));
    }
}
