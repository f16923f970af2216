namespace Egov.Steering.Decisions.Domain;

/// <summary>
/// One change of the register as drafted (a type/v1 Change). Membership alone interprets it, so it is kept here as
/// its encoding, opaque; this service's own rules read only its effective date and the committees it acts on.
/// Two changes are equal when their encodings are.
/// </summary>
public sealed record DecisionChange(byte[] Encoded, CivilDay? EffectiveDate, IReadOnlyList<CommitteeReference> Committees)
{
    public bool Equals(DecisionChange? other) => other is not null && Encoded.AsSpan().SequenceEqual(other.Encoded);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Encoded);
        return hash.ToHashCode();
    }
}

/// <summary>A committee ("committees/{committee}") a change acts on, and the field of the change that names it.</summary>
public sealed record CommitteeReference(string Field, string Committee);
