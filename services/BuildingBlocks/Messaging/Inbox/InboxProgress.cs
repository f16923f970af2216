namespace Egov.Steering.Messaging.Inbox;

/// <summary>
/// Which aggregates' positions the inbox consumers of this process have just advanced: a message that arrived before
/// an earlier version of its aggregate is woken the moment this process commits that version, instead of after a
/// retry interval. One per receive endpoint (<c>UseInboxGapWait</c>); a
/// version handled by another replica is seen after <see cref="GapWait"/>, through MassTransit's retries.
/// </summary>
internal sealed class InboxProgress(TimeSpan gapWait)
{
    private readonly Dictionary<(string Consumer, string Aggregate), Advance> _watched = [];
    private readonly Lock _lock = new();

    /// <summary>How long a message waits here for its predecessor before it goes back to MassTransit's retries.</summary>
    public TimeSpan GapWait { get; } = gapWait;

    /// <summary>Called once a transaction that moved these aggregates' positions has committed.</summary>
    internal void Advanced(string consumer, IEnumerable<string> aggregates)
    {
        lock (_lock)
        {
            foreach (var aggregate in aggregates)
            {
                if (_watched.TryGetValue((consumer, aggregate), out var advance))
                {
                    advance.Next.TrySetResult();
                    advance.Next = NewAdvance();
                }
            }
        }
    }

    /// <summary>A task completed by the next advance of one of the aggregates; <see cref="Unwatch"/> them afterwards.</summary>
    internal Task Watch(string consumer, IReadOnlyCollection<string> aggregates)
    {
        var advances = new List<Task>(aggregates.Count);
        lock (_lock)
        {
            foreach (var aggregate in aggregates)
            {
                if (!_watched.TryGetValue((consumer, aggregate), out var advance))
                {
                    advance = new Advance();
                    _watched[(consumer, aggregate)] = advance;
                }

                advance.Watchers++;
                advances.Add(advance.Next.Task);
            }
        }

        return Task.WhenAny(advances);
    }

    internal void Unwatch(string consumer, IEnumerable<string> aggregates)
    {
        lock (_lock)
        {
            foreach (var aggregate in aggregates)
            {
                if (_watched.TryGetValue((consumer, aggregate), out var advance) && --advance.Watchers == 0)
                {
                    _watched.Remove((consumer, aggregate));
                }
            }
        }
    }

    private static TaskCompletionSource NewAdvance() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Advance
    {
        public TaskCompletionSource Next { get; set; } = NewAdvance();

        public int Watchers { get; set; }
    }
}
