using Egov.Steering.Membership.Domain;

namespace Egov.Steering.Membership.Data;

/// <summary>
/// A ministry or provincial-level unit in force over a period (reference data seeded from the ReferenceData
/// project), so the national overview lists every unit in force on a date, with or without a committee.
/// </summary>
public sealed class OrganisationRecord : ITimeBound
{
    /// <summary>Organisation code, e.g. "province-2020-64", "ministry-btttt".</summary>
    public required string Code { get; init; }

    public required CommitteeLevel Level { get; init; }

    /// <summary>Official name, e.g. "Tỉnh Gia Lai", "Bộ Khoa học và Công nghệ".</summary>
    public required string DisplayName { get; set; }

    public required CivilDate Start { get; init; }

    public CivilDate? End { get; set; }

    /// <summary>What it became: the 2025 unit for a 2020 province; empty when it continues or is unknown.</summary>
    public string? SuccessorCode { get; set; }
}
