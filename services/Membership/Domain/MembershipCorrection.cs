namespace Egov.Steering.Membership.Domain;

/// <summary>
/// The record of a clerical correction (CorrectMembership): which membership, what the record said before and after
/// (the contract form, as JSON), why and on whose word. The decisions' own history is untouched; this is the trail
/// that explains why the register now differs from what a decision's application first recorded.
/// </summary>
public sealed class MembershipCorrection
{
    public long Id { get; private set; }

    public required string CommitteeId { get; init; }

    public required string MembershipId { get; init; }

    /// <summary>The corrected fields (the request's update mask).</summary>
    public required List<string> Fields { get; init; }

    /// <summary>Why the record was wrong and the source of the right value.</summary>
    public required string Reason { get; init; }

    public required string Before { get; init; }

    public required string After { get; init; }

    public required string Subject { get; init; }

    public required string Organisation { get; init; }

    public DateTime CorrectedAt { get; init; }
}
