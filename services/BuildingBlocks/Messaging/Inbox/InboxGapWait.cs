using System.Diagnostics;
using MassTransit;

namespace Egov.Steering.Messaging.Inbox;

/// <summary>
/// One delivery attempt's watch of the aggregates its message is ordered by, opened by the inbox consumer before it
/// reads their positions (so a commit between that read and the wait still counts) and closed by
/// <see cref="InboxGapWaitFilter"/> after the attempt.
/// </summary>
internal sealed class InboxGapWait(InboxProgress progress)
{
    private readonly List<(string Consumer, IReadOnlyCollection<string> Aggregates)> _watched = [];
    private Task? _advanced;

    public InboxProgress Progress => progress;

    public void Watch(string consumer, IReadOnlyCollection<string> aggregates)
    {
        _advanced = progress.Watch(consumer, aggregates);
        _watched.Add((consumer, aggregates));
    }

    /// <summary>True when a watched aggregate advanced within <paramref name="timeout"/>.</summary>
    public async Task<bool> AdvancedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_advanced is null || timeout <= TimeSpan.Zero)
        {
            return false;
        }

        try
        {
            await _advanced.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Close()
    {
        foreach (var (consumer, aggregates) in _watched)
        {
            progress.Unwatch(consumer, aggregates);
        }

        _watched.Clear();
        _advanced = null;
    }
}

/// <summary>
/// Holds a message that arrived before its predecessor (<see cref="InboxGapException"/>) until this process commits
/// a version it waits for, then hands it to the consumer again; past <see cref="InboxProgress.GapWait"/> the gap
/// goes on to MassTransit's retries. Sits outside the consumer's partitioner, so the predecessor of the same key is
/// not held behind the waiting message.
/// </summary>
internal sealed class InboxGapWaitFilter(InboxProgress progress) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        var wait = context.GetOrAddPayload(() => new InboxGapWait(progress));
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await next.Send(context);
                return;
            }
            catch (InboxGapException) when (progress.GapWait > waited.Elapsed)
            {
                if (!await wait.AdvancedAsync(progress.GapWait - waited.Elapsed, context.CancellationToken))
                {
                    throw;
                }
            }
            finally
            {
                wait.Close();
            }
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("inboxGapWait");
}
