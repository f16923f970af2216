using System.Collections.Concurrent;
using Egov.Steering.ServiceDefaults.Hosting;
using Egov.Steering.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>
/// The background passes (purges, gauges, the overdue-outcome check) run at start-up and then at every interval; a
/// pass that fails, a cancellation that is not the host's stop included, is reported and the next one runs: one bad
/// pass never ends the process (a failed BackgroundService stops the host).
/// </summary>
public sealed class PeriodicBackgroundServiceTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_pass_runs_at_start_up_and_at_every_interval()
    {
        var time = new FakeTimeProvider();
        using var service = new Passes(time, []);

        await service.StartAsync(CancellationToken.None);
        await Eventually.WaitUntilAsync(() => service.Runs == 1, "the first pass at start-up");
        time.Advance(Interval);
        await Eventually.WaitUntilAsync(() => service.Runs == 2, "a pass after one interval");
        time.Advance(Interval);
        await Eventually.WaitUntilAsync(() => service.Runs == 3, "a pass after two intervals");
        await service.StopAsync(CancellationToken.None);

        Assert.True(service.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_failed_pass_is_reported_and_the_next_one_runs()
    {
        var time = new FakeTimeProvider();
        using var service = new Passes(time, [new InvalidOperationException("database away"), new OperationCanceledException("a command's own timeout")]);

        await service.StartAsync(CancellationToken.None);
        await Eventually.WaitUntilAsync(() => service.Failures.Count == 1, "the first pass's failure reported");
        time.Advance(Interval);
        await Eventually.WaitUntilAsync(() => service.Failures.Count == 2, "the second pass's failure reported");
        time.Advance(Interval);
        await Eventually.WaitUntilAsync(() => service.Runs == 3, "the third pass, after two failed ones");

        Assert.False(service.ExecuteTask!.IsCompleted);
        Assert.IsType<InvalidOperationException>(service.Failures.ElementAt(0));
        Assert.IsType<OperationCanceledException>(service.Failures.ElementAt(1));
        await service.StopAsync(CancellationToken.None);
        Assert.True(service.ExecuteTask.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Stopping_during_a_pass_ends_the_service_quietly()
    {
        var time = new FakeTimeProvider();
        using var service = new Passes(time, [], waitInPass: true);

        await service.StartAsync(CancellationToken.None);
        await Eventually.WaitUntilAsync(() => service.Runs == 1, "a pass under way");
        await service.StopAsync(CancellationToken.None);

        Assert.True(service.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Empty(service.Failures);
    }

    private sealed class Passes(TimeProvider time, IEnumerable<Exception> failures, bool waitInPass = false) : PeriodicBackgroundService(time)
    {
        private readonly Queue<Exception> toThrow = new(failures);
        private int runs;

        public int Runs => Volatile.Read(ref runs);

        public ConcurrentQueue<Exception> Failures { get; } = new();

        protected override TimeSpan Interval => PeriodicBackgroundServiceTests.Interval;

        protected override async Task RunPassAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref runs);
            if (toThrow.TryDequeue(out var failure))
            {
                throw failure;
            }

            if (waitInPass)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
        }

        protected override void OnPassFailed(Exception exception) => Failures.Enqueue(exception);
    }
}
