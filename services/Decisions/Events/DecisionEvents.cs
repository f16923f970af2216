using Egov.Steering.Decisions.Mapping;
using Egov.Steering.Events.V1;
using Google.Protobuf.WellKnownTypes;
using Decision = Egov.Steering.Decisions.Domain.Decision;

namespace Egov.Steering.Decisions.Events;

/// <summary>
/// The events this service emits, as the EventEnvelope the bus carries. Aggregate "decisions/{id}": DecisionIssued
/// is its version 1, DecisionRevoked its version 2.
/// </summary>
internal static class DecisionEvents
{
    public const string Source = "//decisions.steering.egov.gov.vn";

    /// <summary>
    /// The outbox ordering key of every DecisionIssued: the relay publishes them one after another in issue order.
    /// One key for all, because a decision may name several committees (a merge) and must follow each one's earlier
    /// decisions; decisions are few, so one stream costs nothing.
    /// </summary>
    public const string IssuedOrderingKey = "decisions:issued";

    /// <summary>
    /// DecisionIssued carrying the whole decision as issued, and its number in the issue order of each subject
    /// committee: Membership applies it from this event alone, after the committees' earlier decisions.
    /// </summary>
    public static EventEnvelope Issued(Decision decision, IDictionary<string, long> committeeSequences, DateTime now)
    {
        var envelope = Envelope(decision, DecisionIssued.Descriptor.FullName, now);
        envelope.DecisionIssued = new DecisionIssued { Decision = decision.ToMessage(), CommitteeSequences = { committeeSequences } };
        return envelope;
    }

    /// <summary>DecisionRevoked, caused by the DecisionApplied of the revoking decision.</summary>
    public static EventEnvelope Revoked(Decision revoked, Decision revoking, EventEnvelope cause, DateTime now)
    {
        var envelope = Envelope(revoked, DecisionRevoked.Descriptor.FullName, now);
        envelope.CorrelationId = cause.CorrelationId.Length > 0 ? cause.CorrelationId : cause.Id;
        envelope.CausationId = cause.Id;
        envelope.DecisionRevoked = new DecisionRevoked
        {
            Decision = revoked.Name,
            RevokingDecision = revoking.Name,
            EffectiveDate = revoking.EffectiveDate?.ToMessage(),
        };
        return envelope;
    }

    private static EventEnvelope Envelope(Decision aggregate, string type, DateTime now)
    {
        var id = Guid.CreateVersion7().ToString();
        return new EventEnvelope
        {
            Id = id,
            Type = type,
            Source = Source,
            Subject = aggregate.Name,
            Time = Timestamp.FromDateTime(DateTime.SpecifyKind(now, DateTimeKind.Utc)),
            Aggregate = aggregate.Name,
            AggregateVersion = aggregate.NextEventVersion(),
            CorrelationId = id,
            CommitteeLevel = aggregate.EventCommitteeLevel.ToMessage(),
            Jurisdiction = aggregate.EventJurisdiction,
            Committee = aggregate.EventCommittee,
        };
    }
}
