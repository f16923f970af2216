using Egov.Steering.Events.V1;
using Egov.Steering.Messaging;
using MassTransit;

namespace Egov.Steering.Membership.Events;

/// <summary>
/// Membership's queue receives every EventEnvelope on the bus (its own events included); only DecisionIssued
/// concerns it, and only those reach the inbox, which would otherwise record every id it ever saw. A committee's
/// decisions queued behind the one being applied are applied together next, in one transaction on one loaded register.
/// </summary>
public sealed class DecisionEventsConsumer(
    IServiceProvider services, [FromKeyedServices(typeof(DecisionEventsConsumer))] KeyedBatches<ConsumeContext<EventEnvelope>> batches)
    : IConsumer<EventEnvelope>
{
    public Task Consume(ConsumeContext<EventEnvelope> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Message.EventCase != EventEnvelope.EventOneofCase.DecisionIssued)
        {
            return Task.CompletedTask;
        }

        return services.GetRequiredService<DecisionIssuedHandler>().ConsumeBatchedAsync(context, PartitionKey(context.Message), batches);
    }

    /// <summary>
    /// What a decision waits for: its first subject committee's earlier decisions (the others', if any, are waited for by
    /// the inbox); anything else by its aggregate.
    /// </summary>
    public static string PartitionKey(EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return envelope.EventCase == EventEnvelope.EventOneofCase.DecisionIssued && envelope.DecisionIssued.CommitteeSequences.Count > 0
            ? envelope.DecisionIssued.CommitteeSequences.Keys.Min(StringComparer.Ordinal)!
            : envelope.Aggregate;
    }

    /// <summary>Two decisions of one partition (<see cref="PartitionKey"/>) in the order they were issued for its committee.</summary>
    public static int InIssueOrder(EventEnvelope x, EventEnvelope y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return SequenceOf(x).CompareTo(SequenceOf(y));

        static long SequenceOf(EventEnvelope envelope) =>
            envelope.EventCase == EventEnvelope.EventOneofCase.DecisionIssued
            && envelope.DecisionIssued.CommitteeSequences.TryGetValue(PartitionKey(envelope), out var sequence)
                ? sequence
                : envelope.AggregateVersion;
    }
}
