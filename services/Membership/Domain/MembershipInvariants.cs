namespace Egov.Steering.Membership.Domain;

public enum MembershipConflict
{
    /// <summary>The same person or post holds two memberships of the committee at once.</summary>
    AlreadyAMember,

    /// <summary>Two memberships are chair on the same day.</summary>
    SecondChair,
}

/// <summary>The invariants between a committee's memberships, checked after every change (decision or correction).</summary>
public static class MembershipInvariants
{
    /// <summary>Every other membership of the committee that clashes with <paramref name="membership"/>, and how.</summary>
    public static IEnumerable<(CommitteeMembership Other, MembershipConflict Conflict)> ConflictsOf(
        this Committee committee, CommitteeMembership membership)
    {
        ArgumentNullException.ThrowIfNull(committee);
        ArgumentNullException.ThrowIfNull(membership);
        foreach (var other in committee.Memberships.Where(o => o != membership))
        {
            if (membership.Holder.SharesSeatWith(other.Holder) && membership.Overlaps(other))
            {
                yield return (other, MembershipConflict.AlreadyAMember);
            }

            if (ChairPeriods(membership).Any(mine => ChairPeriods(other).Any(mine.Overlaps)))
            {
                yield return (other, MembershipConflict.SecondChair);
            }
        }
    }

    private static IEnumerable<RolePeriod> ChairPeriods(CommitteeMembership membership) =>
        membership.RolePeriods.Where(p => p.Roles.Contains(MembershipRole.Chair));
}
