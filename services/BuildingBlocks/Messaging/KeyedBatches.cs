using System.Runtime.ExceptionServices;

namespace Egov.Steering.Messaging;

/// <summary>
/// Group commit per key (e.g. a committee): a caller for a key nobody is working on handles its item at once; callers
/// for that key arriving meanwhile queue, and when the work ends the first of them takes the queue (up to
/// <paramref name="maxBatchSize"/> items, in arrival order) and handles it as one batch with its own handler. So one
/// key's items go one batch at a time, and a busy key's backlog costs one unit of work per batch, not per item; at most
/// <paramref name="concurrentBatches"/> batches run at once over all keys. Items delivered at once can reach their key
/// in any order (each on a thread of its own): a batch is handed over in the order of <paramref name="order"/> (e.g. a
/// committee's issue sequence), if given.
/// </summary>
public sealed class KeyedBatches<TItem>(int concurrentBatches, int maxBatchSize, Comparison<TItem>? order = null)
{
    private readonly Dictionary<string, Queue<Waiter>> _waiting = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(concurrentBatches, concurrentBatches);

    /// <summary>
    /// Handles <paramref name="item"/> alone or in a batch (by whichever caller leads it) and returns once it has been
    /// handled; throws what <paramref name="handle"/> gave for it. <paramref name="handle"/> returns one outcome per
    /// item (null when handled); if it throws, every item of the batch gets that exception.
    /// </summary>
    public async Task RunAsync(
        string key, TItem item, Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<Exception?>>> handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var self = new Waiter(item);
        bool leads;
        lock (_waiting)
        {
            leads = !_waiting.TryGetValue(key, out var queue);
            if (leads)
            {
                _waiting.Add(key, new Queue<Waiter>());
            }
            else
            {
                queue!.Enqueue(self);
            }
        }

        // A follower is either handled in its leader's batch or, when the leader is done, made the next leader.
        if (!leads)
        {
            var outcome = await self.Outcome.Task;
            if (!ReferenceEquals(outcome, Waiter.Lead))
            {
                outcome.Error?.Throw();
                return;
            }
        }

        var batch = new List<Waiter> { self };
        ExceptionDispatchInfo? mine = null;
        try
        {
            await _slots.WaitAsync(cancellationToken);
            try
            {
                lock (_waiting)
                {
                    var queue = _waiting[key];
                    while (batch.Count < maxBatchSize && queue.TryDequeue(out var next))
                    {
                        batch.Add(next);
                    }
                }

                if (order is not null)
                {
                    batch = [.. batch.Order(Comparer<Waiter>.Create((x, y) => order(x.Item, y.Item)))];
                }

                var outcomes = await handle([.. batch.Select(w => w.Item)], cancellationToken);
                for (var i = 0; i < batch.Count; i++)
                {
                    var outcome = outcomes[i] is { } error ? ExceptionDispatchInfo.Capture(error) : null;
                    if (batch[i] == self)
                    {
                        mine = outcome;
                    }
                    else
                    {
                        batch[i].Outcome.TrySetResult(new Outcome(outcome));
                    }
                }
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (Exception e)
        {
            mine = ExceptionDispatchInfo.Capture(e);
            var failed = new Outcome(mine);
            batch.Where(w => w != self).ToList().ForEach(w => w.Outcome.TrySetResult(failed));
        }
        finally
        {
            lock (_waiting)
            {
                var queue = _waiting[key];
                if (queue.TryDequeue(out var next))
                {
                    next.Outcome.TrySetResult(Waiter.Lead);
                }
                else
                {
                    _waiting.Remove(key);
                }
            }
        }

        mine?.Throw();
    }

    /// <summary>A class, not a record: <see cref="Waiter.Lead"/> is told apart by reference.</summary>
    private sealed class Outcome(ExceptionDispatchInfo? error)
    {
        public ExceptionDispatchInfo? Error { get; } = error;
    }

    private sealed class Waiter(TItem item)
    {
        /// <summary>The outcome that makes a follower the next leader.</summary>
        public static readonly Outcome Lead = new(error: null);

        public TItem Item { get; } = item;

        public TaskCompletionSource<Outcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
