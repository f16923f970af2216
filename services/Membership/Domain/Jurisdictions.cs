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
}
