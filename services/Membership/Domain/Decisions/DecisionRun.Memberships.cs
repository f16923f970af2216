namespace Egov.Steering.Membership.Domain.Decisions;

internal sealed partial class DecisionRun
{
    private void Appoint(Appoint change, CivilDate date)
    {
        var committee = RequireCommittee(change.Path + ".committee", change.CommitteeId, date);
        var seatOk = CheckHolder(change.Path + ".entry.holder", change.Seat.Holder) & CheckRoles(change.Path + ".entry.roles", change.Seat.Roles);
        if (committee is null || !seatOk)
        {
            return;
        }

        var membership = StartMembership(committee, change.Seat, date);
        CheckInvariants(change.Path + ".entry", committee, [membership]);
    }

    private void Relieve(Relieve change, CivilDate date)
    {
        if (FindTarget(change.Path, change.Target, date) is not { } target)
        {
            return;
        }

        var (committee, membership) = target;
        if (membership.End is { } end)
        {
            Report(change.Path, "NOT_A_MEMBER", $"{Describe(membership.Holder)} đã có ngày thôi {end} / the membership already has an end");
            return;
        }

        if (date < membership.Start)
        {
            Report(change.Path, "DATES_OUT_OF_ORDER", $"Ngày thôi {date} trước ngày bắt đầu {membership.Start} của {Describe(membership.Holder)} / end before start");
            return;
        }

        EndMembership(committee, membership, date, change.Reason);
    }

    private void ChangeRoles(ChangeRoles change, CivilDate date)
    {
        var target = FindTarget(change.Path, change.Target, date);
        if (!CheckRoles(change.Path + ".roles", change.Roles) || target is not var (committee, membership))
        {
            return;
        }

        if (date < membership.Start)
        {
            Report(change.Path, "DATES_OUT_OF_ORDER", $"Ngày {date} trước ngày bắt đầu {membership.Start} / before the membership starts");
            return;
        }

        if (!CheckNotBefore(change.Path, date, membership.RolePeriods[^1].Start, "Vai trò"))
        {
            return;
        }

        if (ReplaceRoles(committee, membership, change.Roles, date))
        {
            CheckInvariants(change.Path, committee, [membership]);
        }
    }

    /// <summary>
    /// Kiện toàn: listed holders who are members keep their membership (and its history) with the listed roles,
    /// the others are appointed, and members not listed are relieved, all from the date.
    /// </summary>
    private void SetRoster(SetRoster change, CivilDate date)
    {
        var committee = RequireCommittee(change.Path + ".committee", change.CommitteeId, date);
        var ok = committee is not null;
        for (var i = 0; i < change.Seats.Count; i++)
        {
            var field = $"{change.Path}.entries[{i}]";
            ok &= CheckHolder(field + ".holder", change.Seats[i].Holder) & CheckRoles(field + ".roles", change.Seats[i].Roles);
            if (change.Seats.Take(i).Any(earlier => earlier.Holder.SharesSeatWith(change.Seats[i].Holder)))
            {
                Report(field + ".holder", "DUPLICATE_ENTRY", $"{Describe(change.Seats[i].Holder)} có hai lần trong danh sách / listed twice");
                ok = false;
            }
        }

        if (!ok)
        {
            return;
        }

        var open = committee!.Memberships.Where(m => m.OpenOn(date.FirstDay)).ToList();
        var touched = new List<CommitteeMembership>();
        foreach (var membership in open.Where(m => !change.Seats.Any(s => s.Holder == m.Holder)))
        {
            if (date < membership.Start)
            {
                Report(change.Path, "DATES_OUT_OF_ORDER", $"{Describe(membership.Holder)} bắt đầu {membership.Start}, sau ngày kiện toàn {date} / starts after the roster date");
                continue;
            }

            EndMembership(committee, membership, date, change.EndReason);
        }

        foreach (var seat in change.Seats)
        {
            if (open.Find(m => m.Holder == seat.Holder) is { } kept)
            {
                if (date < kept.Start)
                {
                    Report(change.Path, "DATES_OUT_OF_ORDER", $"{Describe(kept.Holder)} bắt đầu {kept.Start}, sau ngày kiện toàn {date} / starts after the roster date");
                    continue;
                }

                if (!CheckNotBefore(change.Path, date, kept.RolePeriods[^1].Start, Describe(kept.Holder)))
                {
                    continue;
                }

                ReplaceRoles(committee, kept, seat.Roles, date);
                touched.Add(kept);
            }
            else
            {
                touched.Add(StartMembership(committee, seat, date));
            }
        }

        CheckInvariants(change.Path, committee, touched);
    }

    private CommitteeMembership StartMembership(Committee committee, RosterSeat seat, CivilDate date)
    {
        var membership = new CommitteeMembership(committee.Id, committee.NextMembershipId(), seat.Holder, seat.Roles, date, decisionId, legalBasisBound);
        committee.Memberships.Add(membership);
        Emit(new MembershipStarted(committee.Id, membership.Id, decisionId, date));
        return membership;
    }

    private void EndMembership(Committee committee, CommitteeMembership membership, CivilDate date, string? reason)
    {
        membership.EndOn(date, decisionId, reason, legalBasisBound);
        Emit(new MembershipEnded(committee.Id, membership.Id, decisionId, date));
    }

    /// <summary>New roles from the date; false (and nothing recorded) when they are the same.</summary>
    private bool ReplaceRoles(Committee committee, CommitteeMembership membership, RoleSet roles, CivilDate date)
    {
        var previous = membership.CurrentRoles;
        if (previous.SameAs(roles))
        {
            return false;
        }

        membership.ChangeRoles(roles, date, decisionId);
        Emit(new MembershipRolesChanged(committee.Id, membership.Id, previous, roles, decisionId, date));
        return true;
    }

    /// <summary>The membership a change names: by id, or the holder's membership open on the date.</summary>
    private (Committee Committee, CommitteeMembership Membership)? FindTarget(string path, MembershipTarget target, CivilDate date)
    {
        if (RequireCommittee(path + ".committee", target.CommitteeId, date) is not { } committee)
        {
            return null;
        }

        var membership = target.MembershipId is { } id
            ? committee.FindMembership(id)
            : committee.Memberships.LastOrDefault(m => m.Holder == target.Holder && m.OpenOn(date.FirstDay))
              ?? committee.Memberships.LastOrDefault(m => m.Holder.SharesSeatWith(target.Holder!) && m.OpenOn(date.FirstDay));
        var field = path + (target.MembershipId is null ? ".holder" : ".membership");
        if (membership is null)
        {
            Report(field, "NOT_A_MEMBER", target.MembershipId is { } missing
                ? $"Không có committees/{committee.Id}/memberships/{missing} / no such membership"
                : $"{Describe(target.Holder!)} không là thành viên của committees/{committee.Id} vào {date} / not a member then");
            return null;
        }

        if (!membership.OpenOn(date.FirstDay))
        {
            Report(field, "NOT_A_MEMBER", $"{Describe(membership.Holder)} đã thôi từ {membership.End} / the membership has already ended");
            return null;
        }

        return (committee, membership);
    }

    /// <summary>
    /// After a change: no one (same person or post) holds two memberships of the committee at once, and at most one
    /// membership is chair on any date. Only pairs involving a touched membership are checked.
    /// </summary>
    private void CheckInvariants(string field, Committee committee, IReadOnlyCollection<CommitteeMembership> touched)
    {
        var seen = new HashSet<(string, string, MembershipConflict)>();
        foreach (var membership in touched)
        {
            foreach (var (other, conflict) in committee.ConflictsOf(membership))
            {
                var pair = string.CompareOrdinal(membership.Id, other.Id) < 0 ? (membership.Id, other.Id, conflict) : (other.Id, membership.Id, conflict);
                if (!seen.Add(pair))
                {
                    continue;
                }

                if (conflict == MembershipConflict.AlreadyAMember)
                {
                    Report(field, "ALREADY_A_MEMBER", $"{Describe(membership.Holder)} đã là thành viên của committees/{committee.Id} (từ {other.Start}) / already a member");
                }
                else
                {
                    Report(field, "SECOND_CHAIR", $"committees/{committee.Id} đã có Trưởng ban: {Describe(other.Holder)} / the committee already has a chair then");
                }
            }
        }
    }
}
