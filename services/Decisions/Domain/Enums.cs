namespace Egov.Steering.Decisions.Domain;

// The domain's own enums; their numbers equal the contract's (decisions.v1 and type/v1) and are the numbers the
// database holds, so the edges map them with a cast and no stored value changes.

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

public enum DecisionState
{
    Draft = 1,
    Issued = 2,
    Applied = 3,
    Rejected = 4,
    Revoked = 5,
    Superseded = 6,
}

public enum DatePrecision
{
    Year = 1,
    Month = 2,
    Day = 3,
}

public enum CommitteeLevel
{
    /// <summary>A decision routed by an organisation that is not a committee level.</summary>
    Unknown = 0,
    National = 1,
    Ministry = 2,
    Province = 3,
    District = 4,
    Commune = 5,
}
