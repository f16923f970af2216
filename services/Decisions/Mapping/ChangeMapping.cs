using Egov.Steering.Changes;
using Egov.Steering.Decisions.Domain;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.Types.V1;
using Google.Protobuf;

namespace Egov.Steering.Decisions.Mapping;

/// <summary>
/// A decision's changes between the contract (type/v1 <see cref="Change"/>) and the domain, which keeps each one's
/// encoding as it is and reads only its effective date and the committees it acts on.
/// </summary>
internal static class ChangeMapping
{
    public static DecisionChange ToDomain(this Change change) => Read(change.ToByteArray(), change);

    /// <summary>A change as stored: its encoding, read once for what the domain needs of it.</summary>
    public static DecisionChange FromEncoded(byte[] encoded) => Read(encoded, Change.Parser.ParseFrom(encoded));

    public static Change ToMessage(this DecisionChange change) => Change.Parser.ParseFrom(change.Encoded);

    /// <summary>The change a revoking decision starts with: it ends the effects of <paramref name="revokedDecision"/>.</summary>
    public static DecisionChange EndingEffectsOf(string revokedDecision) =>
        new Change { RevokeDecisionEffects = new RevokeDecisionEffects { Decision = revokedDecision } }.ToDomain();

    private static DecisionChange Read(byte[] encoded, Change change) => new(
        encoded,
        change.EffectiveDate is { Year: > 0 } date ? new CivilDay(date.Year, date.Month, date.Day, (Domain.DatePrecision)(int)date.Precision) : null,
        ChangedCommittees.Of(change).Select(named => new CommitteeReference(named.Field, named.Committee)).ToList());
}
