namespace Egov.Steering.Membership.Domain.Decisions;

internal sealed partial class DecisionRun
{
    private void EstablishWorkingGroup(EstablishWorkingGroup change, CivilDate date)
    {
        var committee = RequireCommittee(change.Path + ".committee", change.CommitteeId, date);
        var ok = CheckGroupSeats(change.Path + ".seats", change.Seats);
        if (!IsValidId(change.WorkingGroupId))
        {
            Report(change.Path + ".working_group_id", "INVALID_ID", "3..63 ký tự [a-z0-9-], bắt đầu bằng chữ / 3..63 characters of [a-z0-9-] starting with a letter");
            ok = false;
        }
        else if (committee?.FindWorkingGroup(change.WorkingGroupId) is not null)
        {
            Report(change.Path + ".working_group_id", "WORKING_GROUP_ALREADY_EXISTS", $"Tổ {change.WorkingGroupId} đã có / already exists");
            ok = false;
        }

        if (string.IsNullOrWhiteSpace(change.DisplayName))
        {
            Report(change.Path + ".display_name", "MISSING_NAME", "Cần tên tổ / a name is required");
            ok = false;
        }

        if (committee is null || !ok)
        {
            return;
        }

        var group = new WorkingGroup(committee.Id, change.WorkingGroupId, change.DisplayName, change.Purpose, date, decisionId);
        group.Seats.AddRange(change.Seats.Select(s => new WorkingGroupSeat(s.Holder, s.Role, date, decisionId)));
        committee.WorkingGroups.Add(group);
        Emit(new WorkingGroupChanged(committee.Id, group.Id, WorkingGroupChange.Established, decisionId, date));
    }

    /// <summary>Listed holders keep their seat when the role is unchanged; the others leave or join from the date.</summary>
    private void SetWorkingGroupMembers(SetWorkingGroupMembers change, CivilDate date)
    {
        var found = FindWorkingGroup(change.Path, change.CommitteeId, change.WorkingGroupId, date);
        if (!CheckGroupSeats(change.Path + ".seats", change.Seats) || found is not var (committee, group))
        {
            return;
        }

        var open = group.Seats.Where(s => s.OpenOn(date.FirstDay)).ToList();
        if (open.FirstOrDefault(s => date < s.Start) is { } later)
        {
            Report(change.Path, "HISTORY_REWRITE", $"{Describe(later.Holder)} vào tổ từ {later.Start}, sau {date} / a later change exists");
            return;
        }

        foreach (var seat in open.Where(s => !change.Seats.Contains(new GroupSeat(s.Holder, s.Role))))
        {
            seat.End = date;
        }

        group.Seats.AddRange(change.Seats
            .Where(s => !open.Any(o => o.Holder == s.Holder && o.Role == s.Role))
            .Select(s => new WorkingGroupSeat(s.Holder, s.Role, date, decisionId)));
        Emit(new WorkingGroupChanged(committee.Id, group.Id, WorkingGroupChange.MembersChanged, decisionId, date));
    }

    private void DissolveWorkingGroup(DissolveWorkingGroup change, CivilDate date)
    {
        if (FindWorkingGroup(change.Path, change.CommitteeId, change.WorkingGroupId, date) is var (committee, group))
        {
            group.Dissolve(date, decisionId);
            Emit(new WorkingGroupChanged(committee.Id, group.Id, WorkingGroupChange.Dissolved, decisionId, date));
        }
    }

    private (Committee Committee, WorkingGroup Group)? FindWorkingGroup(string path, string committeeId, string groupId, CivilDate date)
    {
        if (RequireCommittee(path + ".working_group", committeeId, date) is not { } committee)
        {
            return null;
        }

        var group = committee.FindWorkingGroup(groupId);
        if (group is null)
        {
            Report(path + ".working_group", "UNKNOWN_WORKING_GROUP", $"Không có tổ {groupId} của committees/{committeeId} / no such working group");
            return null;
        }

        if (!group.OpenOn(date.FirstDay) || date < group.Start)
        {
            Report(path + ".working_group", "WORKING_GROUP_NOT_ACTIVE", $"Tổ {groupId} không hoạt động vào {date} / not active then");
            return null;
        }

        return (committee, group);
    }

    private bool CheckGroupSeats(string path, IReadOnlyList<GroupSeat> seats)
    {
        var ok = true;
        for (var i = 0; i < seats.Count; i++)
        {
            ok &= CheckHolder($"{path}[{i}].holder", seats[i].Holder);
            if (seats.Take(i).Any(earlier => earlier.Holder.SharesSeatWith(seats[i].Holder)))
            {
                Report($"{path}[{i}].holder", "DUPLICATE_ENTRY", $"{Describe(seats[i].Holder)} có hai lần trong danh sách / listed twice");
                ok = false;
            }
        }

        if (seats.Count(s => s.Role == WorkingGroupRole.Leader) > 1)
        {
            Report(path, "SECOND_LEADER", "Tổ chỉ có một Tổ trưởng / a working group has at most one leader");
            ok = false;
        }

        return ok;
    }
}
