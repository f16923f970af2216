using Egov.Steering.Text;

namespace Egov.Steering.Membership.Domain;

/// <summary>A committee as it stood on a date: what every "as of D" read answers.</summary>
public sealed record CommitteeAsOf(
    Committee Committee,
    DateOnly Date,
    CommitteeState State,
    string DisplayName,
    IReadOnlyList<MandateTopic> Mandate,
    FocalAgency? FocalAgency,
    IReadOnlyList<SeatAsOf> Seats,
    IReadOnlyList<WorkingGroupAsOf> WorkingGroups,
    CommitteeDecision? LastConsolidation)
{
    public SeatAsOf? Chair => Seats.FirstOrDefault(s => s.Roles.Contains(MembershipRole.Chair));

    /// <summary>Seats that are members (a secretary-only seat is not) and certainly in force on the date.</summary>
    public int MemberCount => Seats.Count(s => s.Roles.IsMember && s.Certainty == Certainty.Certain);

    /// <summary>Seats that are members and may or may not be in force on the date (inside an imprecise date).</summary>
    public int UncertainMemberCount => Seats.Count(s => s.Roles.IsMember && s.Certainty == Certainty.Uncertain);

    /// <summary>Whether the read extends the last recorded state past what a source confirms (<see cref="Committee.BeyondConfirmedRecordOn"/>).</summary>
    public bool BeyondConfirmedRecord => Committee.BeyondConfirmedRecordOn(Date);
}

/// <summary>
/// A membership on a date, with its roles then, who sits (ex officio: the post's holder then), whether it is
/// certainly in force then (a membership not in force on the date is certainly not) and whether the register knows who
/// sat: <paramref name="HolderKnown"/> is false when it does not know who held the post then.
/// </summary>
public sealed record SeatAsOf(CommitteeMembership Membership, RoleSet Roles, Post? Post, Person? Person, Certainty Certainty, bool HolderKnown = true);

public sealed record WorkingGroupAsOf(WorkingGroup Group, IReadOnlyList<WorkingGroupSeatAsOf> Seats);

public sealed record WorkingGroupSeatAsOf(WorkingGroupSeat Seat, Post? Post, Person? Person);

public static class AsOfQueries
{
    private static readonly MembershipRole[] RoleOrder =
    [
        MembershipRole.Chair, MembershipRole.StandingViceChair, MembershipRole.ViceChair, MembershipRole.StandingMember,
        MembershipRole.Member, MembershipRole.Other, MembershipRole.Secretary,
    ];

    /// <summary>
    /// A working group's members on the date, as its committee's seats are ordered: by role (the leader first), then by
    /// name in Vietnamese order (the person's, else the post's).
    /// </summary>
    public static WorkingGroupAsOf WorkingGroupOn(this Register register, WorkingGroup group, DateOnly date) =>
        new(group, [.. group.SeatsOn(date)
            .Select(s => new WorkingGroupSeatAsOf(s, register.FindPost(s.PostId), register.SeatedPerson(s.Holder, date)))
            .OrderBy(s => s.Seat.Role)
            .ThenBy(s => s.Person?.DisplayName ?? s.Post?.DisplayName, VietnameseText.Order)]);

    /// <summary>The committee on the date: name, mandate, focal agency, state, seats (chair first) and working groups.</summary>
    public static CommitteeAsOf AsOf(this Register register, Committee committee, DateOnly date)
    {
        var seats = committee.MembershipsOn(date)
            .Select(m => register.SeatOn(m, date))
            .OrderBy(s => Rank(s.Roles))
            .ThenBy(s => s.Person?.DisplayName ?? s.Post?.DisplayName, VietnameseText.Order)
            .ToList();
        var groups = committee.WorkingGroups
            .Where(g => g.InForceOn(date))
            .Select(g => register.WorkingGroupOn(g, date))
            .ToList();
        return new CommitteeAsOf(
            committee,
            date,
            committee.StateOn(date),
            committee.DisplayNameOn(date),
            committee.MandateOn(date),
            committee.FocalAgencyOn(date),
            seats,
            groups,
            committee.LastConsolidationOn(date));
    }

    /// <summary>Where a seat with these roles sorts in a roster: chair first, then by role (secretary-only last).</summary>
    public static int Rank(RoleSet roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return roles.Roles.Min(role => Array.IndexOf(RoleOrder, role));
    }

    public static SeatAsOf SeatOn(this Register register, CommitteeMembership membership, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(membership);
        var seated = register.SeatHolderOn(membership.Holder, date);
        return new(membership, membership.RolesOn(date), register.FindPost(membership.PostId), seated.Person,
            membership.PresenceOn(date) ?? Certainty.Certain, seated.Known);
    }

    /// <summary>
    /// The committee of a jurisdiction existing on the date (at most one exists at a time), or null: active, or
    /// before the record of one that existed before its first recorded decision (NotRecorded; never "none").
    /// </summary>
    public static Committee? CommitteeOf(this Register register, string jurisdiction, DateOnly date) =>
        register.Committees.FirstOrDefault(c => c.Jurisdiction == jurisdiction && c.StateOn(date) is CommitteeState.Active or CommitteeState.NotRecorded);
}
