using Egov.Steering.Notifications.Feed;

namespace Egov.Steering.Notifications.Tests;

public sealed class LogSignalTests
{
    [Fact]
    public async Task A_notify_of_an_append_this_replica_committed_does_not_wake_its_readers_a_second_time()
    {
        var signal = new LogSignal();
        var wait = signal.Subscribe();

        signal.Committed(5);
        Assert.True(await wait(TimeSpan.Zero, default));
        signal.Announced(4);
        signal.Announced(5);

        Assert.False(await wait(TimeSpan.Zero, default));
        Assert.Equal(5, signal.KnownThrough);
    }

    [Fact]
    public async Task A_notify_of_a_later_position_or_of_none_wakes_every_reader()
    {
        var signal = new LogSignal();
        var readers = new[] { signal.Subscribe(), signal.Subscribe() };
        signal.Committed(5);
        foreach (var wait in readers)
        {
            await wait(TimeSpan.Zero, default);
        }

        signal.Announced(6); // another replica's append
        Assert.All(await Task.WhenAll(readers.Select(wait => wait(TimeSpan.Zero, default))), Assert.True);
        Assert.Equal(6, signal.KnownThrough);

        var unpositioned = signal.UnpositionedWakeUps;
        signal.Announced(null); // a purge, or listening has just (re)started
        Assert.All(await Task.WhenAll(readers.Select(wait => wait(TimeSpan.Zero, default))), Assert.True);
        Assert.Equal(unpositioned + 1, signal.UnpositionedWakeUps);
    }
}
