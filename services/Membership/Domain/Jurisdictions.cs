using Egov.Steering.ReferenceData;

namespace Egov.Steering.Membership.Domain;

public static class Jurisdictions
{
    /// <summary>The level of an organisation's committee: the national committee, a ministry's or a province's.</summary>
    public static CommitteeLevel LevelOf(Organisation organisation)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        return organisation.Kind switch
        {
            OrganisationKind.National => CommitteeLevel.National,
            OrganisationKind.Ministry => CommitteeLevel.Ministry,
            _ => CommitteeLevel.Province,
        };
    }

    /// <summary>
    /// Whether a committee founded on <paramref name="founding"/> would start after its jurisdiction ceased (on or after
    /// the end's first day): a province or ministry that no longer exists gets no new committee, its successor does. A
    /// founding date known only to its year or month counts from its first day: it is refused only when surely after.
    /// </summary>
    public static bool CeasedBy(CivilDate? jurisdictionEnd, CivilDate founding) =>
        jurisdictionEnd is { } end && founding.FirstDay >= end.FirstDay;

    /// <summary>What to found instead of a committee of a ceased jurisdiction: its successor's, when the reference data names it.</summary>
    public static string InsteadOf(CeasedJurisdiction ceased)
    {
        ArgumentNullException.ThrowIfNull(ceased);
        return ceased.Successor is { Length: > 0 } successor
            ? $"create the committee of {successor} instead"
            : "create the committee of the organisation that took over its duties";
    }
}

/// <summary>A province or ministry that ceased on <see cref="End"/> (reference data), and what it became if known.</summary>
public sealed record CeasedJurisdiction(string Code, CivilDate End, string? Successor);
