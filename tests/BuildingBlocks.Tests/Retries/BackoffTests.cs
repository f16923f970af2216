using Egov.Steering.Retries;

namespace Egov.Steering.BuildingBlocks.Tests.Retries;

public sealed class BackoffTests
{
    private static readonly Backoff Backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 30)] // 32 s capped
    [InlineData(1000, 30)] // no overflow however long it fails
    public void Delay_doubles_up_to_the_max_and_is_jittered_between_half_and_all_of_it(int retry, int seconds)
    {
        var delays = Enumerable.Range(0, 200).Select(_ => Backoff.Delay(retry)).ToList();

        Assert.All(delays, delay => Assert.InRange(delay, TimeSpan.FromSeconds(seconds / 2.0), TimeSpan.FromSeconds(seconds)));
        Assert.True(delays.Distinct().Count() > 1, "the delays are jittered");
    }

    [Fact]
    public void Delay_refuses_a_retry_before_the_first() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Delay(0));
}
