using Egov.Steering.Messaging;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging;

/// <summary>Group commit per key: what queues behind a key's running batch goes in the next one, in arrival order.</summary>
public sealed class KeyedBatchesTests
{
    [Fact]
    public async Task Items_queued_behind_a_running_batch_are_handled_together_next_in_arrival_order()
    {
        var batches = new KeyedBatches<string>(concurrentBatches: 4, maxBatchSize: 16);
        var handler = new GatedHandler();

        var first = batches.RunAsync("committee-a", "1", handler.HandleAsync, CancellationToken.None);
        await handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var queued = new[] { "2", "3", "4" }.Select(item => batches.RunAsync("committee-a", item, handler.HandleAsync, CancellationToken.None)).ToList();
        handler.Gate.SetResult();
        await Task.WhenAll(queued.Append(first));

        Assert.Equal([["1"], ["2", "3", "4"]], handler.Batches);
    }

    [Fact]
    public async Task Items_that_reached_their_key_out_of_order_are_handed_over_in_the_keys_order()
    {
        var batches = new KeyedBatches<string>(concurrentBatches: 4, maxBatchSize: 16, order: string.CompareOrdinal);
        var handler = new GatedHandler { Fails = item => item == "3" ? new InvalidOperationException("item 3") : null };

        var first = batches.RunAsync("committee-a", "1", handler.HandleAsync, CancellationToken.None);
        await handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var fourth = batches.RunAsync("committee-a", "4", handler.HandleAsync, CancellationToken.None);
        var third = batches.RunAsync("committee-a", "3", handler.HandleAsync, CancellationToken.None);
        var second = batches.RunAsync("committee-a", "2", handler.HandleAsync, CancellationToken.None);
        handler.Gate.SetResult();

        await Task.WhenAll(first, second, fourth);
        // Each caller still gets its own item's outcome, whatever its place in the batch.
        await Assert.ThrowsAsync<InvalidOperationException>(() => third);
        Assert.Equal([["1"], ["2", "3", "4"]], handler.Batches);
    }

    [Fact]
    public async Task A_batch_takes_at_most_its_size_and_the_rest_follows_in_order()
    {
        var batches = new KeyedBatches<string>(concurrentBatches: 4, maxBatchSize: 2);
        var handler = new GatedHandler();

        var first = batches.RunAsync("committee-a", "1", handler.HandleAsync, CancellationToken.None);
        await handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var queued = new[] { "2", "3", "4", "5" }.Select(item => batches.RunAsync("committee-a", item, handler.HandleAsync, CancellationToken.None)).ToList();
        handler.Gate.SetResult();
        await Task.WhenAll(queued.Append(first));

        Assert.Equal([["1"], ["2", "3"], ["4", "5"]], handler.Batches);
    }

    [Fact]
    public async Task Another_key_is_not_kept_waiting_by_a_busy_one()
    {
        var batches = new KeyedBatches<string>(concurrentBatches: 2, maxBatchSize: 16);
        var busy = new GatedHandler();
        var idle = new GatedHandler();
        idle.Gate.SetResult();

        var blocked = batches.RunAsync("committee-a", "a1", busy.HandleAsync, CancellationToken.None);
        await busy.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await batches.RunAsync("committee-b", "b1", idle.HandleAsync, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(blocked.IsCompleted);
        busy.Gate.SetResult();
        await blocked;
    }

    [Fact]
    public async Task Each_caller_gets_its_own_items_outcome_and_a_failed_batch_fails_only_its_items()
    {
        var batches = new KeyedBatches<string>(concurrentBatches: 1, maxBatchSize: 16);
        var handler = new GatedHandler { Fails = item => item == "3" ? new InvalidOperationException("item 3") : null };

        var first = batches.RunAsync("committee-a", "1", handler.HandleAsync, CancellationToken.None);
        await handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var second = batches.RunAsync("committee-a", "2", handler.HandleAsync, CancellationToken.None);
        var third = batches.RunAsync("committee-a", "3", handler.HandleAsync, CancellationToken.None);
        handler.Gate.SetResult();

        await first;
        await second;
        Assert.Equal("item 3", (await Assert.ThrowsAsync<InvalidOperationException>(() => third)).Message);

        // A handler that throws fails its whole batch, and the key goes on with the next caller.
        var throwing = batches.RunAsync("committee-a", "4", (_, _) => throw new TimeoutException("the database"), CancellationToken.None);
        await Assert.ThrowsAsync<TimeoutException>(() => throwing);
        await batches.RunAsync("committee-a", "5", handler.HandleAsync, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["5"], handler.Batches[^1]);
    }

    /// <summary>Records each batch; the first one waits at the gate, so that callers queue behind it.</summary>
    private sealed class GatedHandler
    {
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<List<string>> Batches { get; } = [];

        public Func<string, Exception?> Fails { get; init; } = _ => null;

        public async Task<IReadOnlyList<Exception?>> HandleAsync(IReadOnlyList<string> items, CancellationToken cancellationToken)
        {
            lock (Batches)
            {
                Batches.Add([.. items]);
            }

            Started.TrySetResult();
            await Gate.Task;
            return [.. items.Select(Fails)];
        }
    }
}
