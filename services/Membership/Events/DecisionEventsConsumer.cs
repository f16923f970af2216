using Egov.Steering.Events.V1;
using MassTransit;

namespace Egov.Steering.Membership.Events;

/// <summary>
/// Membership's queue receives every EventEnvelope on the bus (its own events included); only DecisionIssued
/// concerns it, and only those reach the inbox, which would otherwise record every id it ever saw.
/// </summary>
public sealed class DecisionEventsConsumer(IServiceProvider services) : IConsumer<EventEnvelope>
{
    public Task Consume(ConsumeContext<EventEnvelope> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Message.EventCase == EventEnvelope.EventOneofCase.DecisionIssued
            ? services.GetRequiredService<DecisionIssuedHandler>().Consume(context)
            : Task.CompletedTask;
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
}
