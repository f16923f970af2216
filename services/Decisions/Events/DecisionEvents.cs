using Egov.Steering.Decisions.Grpc;
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

    /// <summary>DecisionIssued carrying the whole decision as issued: Membership applies it from this event alone.</summary>
    public static EventEnvelope Issued(Decision decision, DateTime now)
    {
        var envelope = Envelope(decision, DecisionIssued.Descriptor.FullName, now);
        envelope.DecisionIssued = new DecisionIssued { Decision = decision.ToMessage() };
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
            CommitteeLevel = aggregate.EventCommitteeLevel,
            Jurisdiction = aggregate.EventJurisdiction,
            Committee = aggregate.EventCommittee,
        };
    }
}
