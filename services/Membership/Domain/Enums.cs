namespace Egov.Steering.Membership.Domain;

// The domain's own enums; their numbers equal the contract's (egov.steering.type.v1 / membership.v1), so the gRPC
// and event edges map them with a cast.

public enum CommitteeLevel
{
    National = 1,
    Ministry = 2,
    Province = 3,
    District = 4,
    Commune = 5,
}

public enum MandateTopic
{
    EGovernment = 1,
    SmartCity = 2,
    DigitalTransformation = 3,
    DigitalEconomy = 4,
}

public enum MembershipRole
{
    Chair = 1,
    StandingViceChair = 2,
    ViceChair = 3,
    StandingMember = 4,
    Secretary = 5,
    Member = 6,
    Other = 7,
}

public enum WorkingGroupRole
{
    Leader = 1,
    DeputyLeader = 2,
    Member = 3,
}

public enum PostKind
{
    PrimeMinister = 1,
    DeputyPrimeMinister = 2,
    Minister = 3,
    HeadOfAgency = 4,
    DeputyMinister = 5,
    ProvincialChairman = 6,
    ProvincialViceChairman = 7,
    DepartmentDirector = 8,
    DepartmentDeputyDirector = 9,
    OfficeChief = 10,
    DirectorGeneral = 11,
    Other = 12,
}

public enum CommitteeState
{
    Planned = 1,
    Active = 2,
    Merged = 3,
    Dissolved = 4,

    /// <summary>Before the record of a committee that existed before its first recorded decision.</summary>
    NotRecorded = 5,

    /// <summary>Its province or ministry ceased (reference data) without a decision ending the committee.</summary>
    JurisdictionEnded = 6,
}

public enum MembershipState
{
    Upcoming = 1,
    Active = 2,
    Ended = 3,
}

public enum DecisionKind
{
    Establish = 1,
    Consolidate = 2,
    Amend = 3,
    Rename = 4,
    Merge = 5,
    Dissolve = 6,
    Revoke = 7,
}

public enum ComplianceStatus
{
    Compliant = 1,
    NotCompliant = 2,
    Unknown = 3,
}
