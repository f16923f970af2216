using Egov.Steering.ReferenceData;

namespace Egov.Steering.Membership.Domain.Decisions;

internal sealed partial class DecisionRun
{
    private void Establish(EstablishCommittee change, CivilDate date)
    {
        var ok = true;
        if (!IsValidId(change.CommitteeId))
        {
            Report(change.Path + ".committee_id", "INVALID_ID", "3..63 ký tự [a-z0-9-], bắt đầu bằng chữ / 3..63 characters of [a-z0-9-] starting with a letter");
            ok = false;
        }
        else if (register.FindCommittee(change.CommitteeId) is not null)
        {
            Report(change.Path + ".committee_id", "COMMITTEE_ALREADY_EXISTS", $"committees/{change.CommitteeId} đã có; mã không dùng lại / ids are never reused");
            ok = false;
        }

        if (string.IsNullOrWhiteSpace(change.DisplayName))
        {
            Report(change.Path + ".display_name", "MISSING_NAME", "Cần tên ban chỉ đạo / a name is required");
            ok = false;
        }

        var jurisdictionKnown = CheckLevelAndJurisdiction(change);
        ok &= jurisdictionKnown;
        if (change.ParentId is { } parentId && register.FindCommittee(parentId) is null)
        {
            Report(change.Path + ".parent", "UNKNOWN_COMMITTEE", $"Không có ban chỉ đạo committees/{parentId} / no such parent committee");
            ok = false;
        }

        if (jurisdictionKnown && register.Ceased(change.Jurisdiction) is { } ceased && Jurisdictions.CeasedBy(ceased.End, date))
        {
            Report(change.Path + ".jurisdiction", "JURISDICTION_CEASED",
                $"{change.Jurisdiction} đã chấm dứt từ {ceased.End} / ceased on {ceased.End}: {Jurisdictions.InsteadOf(ceased)}");
            ok = false;
        }

        if (register.Committees.FirstOrDefault(c => c.Jurisdiction == change.Jurisdiction && c.OpenOn(date.FirstDay)) is { } existing)
        {
            Report(change.Path + ".jurisdiction", "JURISDICTION_HAS_COMMITTEE", $"{change.Jurisdiction} đã có committees/{existing.Id} vào {date} / already has a committee then");
            ok = false;
        }

        if (!ok)
        {
            return;
        }

        register.Add(change.AlreadyExisted
            ? Committee.RecordedFrom(
                change.CommitteeId, change.Level, change.Jurisdiction, change.ParentId, change.DisplayName, date, decisionId, change.Mandate, change.FocalAgency)
            : new Committee(
                change.CommitteeId, change.Level, change.Jurisdiction, change.ParentId, change.DisplayName, date, decisionId, change.Mandate, change.FocalAgency));
        Emit(new CommitteeCreated(change.CommitteeId, decisionId, date));
    }

    private bool CheckLevelAndJurisdiction(EstablishCommittee change)
    {
        if (change.Level is CommitteeLevel.District or CommitteeLevel.Commune)
        {
            Report(change.Path + ".level", "LEVEL_NOT_ACCEPTED", "Cấp huyện/xã chưa được hỗ trợ / district and commune levels are not accepted yet");
            return false;
        }

        var organisation = Organisations.Describe(change.Jurisdiction);
        if (organisation is null)
        {
            Report(change.Path + ".jurisdiction", "UNKNOWN_JURISDICTION", $"Mã tổ chức {change.Jurisdiction} không tồn tại / unknown organisation code");
            return false;
        }

        var expected = Jurisdictions.LevelOf(organisation);
        if (expected != change.Level)
        {
            Report(change.Path + ".level", "LEVEL_MISMATCH", $"{change.Jurisdiction} là cấp {expected}, không phải {change.Level} / level does not match the jurisdiction");
            return false;
        }

        if (!CanWrite(change.Jurisdiction))
        {
            Report(change.Path + ".jurisdiction", "NOT_OWNER", $"{decision.OwnerOrganisation} không thể lập ban chỉ đạo của {change.Jurisdiction} / not the owner");
            return false;
        }

        return true;
    }

    private void SetMandate(SetMandate change, CivilDate date)
    {
        var committee = RequireCommittee(change.Path + ".committee", change.CommitteeId, date);
        if (change.Mandate.Count == 0)
        {
            Report(change.Path + ".mandate_topics", "MISSING_MANDATE", "Cần ít nhất một nhiệm vụ / at least one topic is required");
            return;
        }

        if (committee is null || !StartPeriod(change.Path, committee.Mandates, date, "Nhiệm vụ", () => new CommitteeMandate(change.Mandate, date, decisionId)))
        {
            return;
        }

        Emit(new CommitteeUpdated(committee.Id, CommitteeField.Mandate, decisionId, date));
    }

    private void SetFocalAgency(SetFocalAgency change, CivilDate date)
    {
        var committee = RequireCommittee(change.Path + ".committee", change.CommitteeId, date);
        if (string.IsNullOrWhiteSpace(change.FocalAgency.DisplayName))
        {
            Report(change.Path + ".focal_agency.display_name", "MISSING_NAME", "Cần tên cơ quan đầu mối / a name is required");
            return;
        }

        if (committee is null || !StartPeriod(change.Path, committee.FocalAgencies, date, "Cơ quan đầu mối", () => new CommitteeFocalAgency(change.FocalAgency, date, decisionId)))
        {
            return;
        }

        Emit(new CommitteeUpdated(committee.Id, CommitteeField.FocalAgency, decisionId, date));
    }

    private void Rename(RenameCommittee change, CivilDate date)
    {
        var committee = RequireCommittee(change.Path + ".committee", change.CommitteeId, date);
        if (string.IsNullOrWhiteSpace(change.DisplayName))
        {
            Report(change.Path + ".display_name", "MISSING_NAME", "Cần tên mới / a name is required");
            return;
        }

        if (committee is null)
        {
            return;
        }

        var previous = committee.Names[^1].DisplayName;
        if (StartPeriod(change.Path, committee.Names, date, "Tên", () => new CommitteeName(change.DisplayName, date, decisionId)))
        {
            Emit(new CommitteeRenamed(committee.Id, previous, change.DisplayName, decisionId, date));
        }
    }

    /// <summary>Ends the latest period of a history on the date and starts the new one (same day: replaces it).</summary>
    private bool StartPeriod<T>(string path, List<T> history, CivilDate date, string what, Func<T> create)
        where T : CommitteePeriod
    {
        if (history.Count > 0)
        {
            var latest = history[^1];
            if (!CheckNotBefore(path, date, latest.Start, what))
            {
                return false;
            }

            if (latest.Start.FirstDay == date.FirstDay)
            {
                history.RemoveAt(history.Count - 1);
                if (history.Count > 0)
                {
                    history[^1].End = date;
                }
            }
            else
            {
                latest.End = date;
            }
        }

        history.Add(create());
        return true;
    }

    private void Merge(MergeCommittees change, CivilDate date)
    {
        var successor = register.FindCommittee(change.SuccessorId);
        var ok = true;
        if (successor is null)
        {
            Report(change.Path + ".successor", "UNKNOWN_COMMITTEE", $"Không có ban chỉ đạo committees/{change.SuccessorId} / no such successor");
            ok = false;
        }
        else if (!successor.OpenOn(date.FirstDay))
        {
            Report(change.Path + ".successor", "COMMITTEE_NOT_ACTIVE", $"committees/{successor.Id} đã chấm dứt / the successor no longer exists on {date}");
            ok = false;
        }

        if (change.CommitteeIds.Count == 0)
        {
            Report(change.Path + ".committees", "MISSING_COMMITTEES", "Cần ít nhất một ban chỉ đạo bị hợp nhất / at least one committee to merge");
            ok = false;
        }

        var merged = new List<Committee>();
        for (var i = 0; i < change.CommitteeIds.Count; i++)
        {
            var field = $"{change.Path}.committees[{i}]";
            if (change.CommitteeIds[i] == change.SuccessorId)
            {
                Report(field, "MERGE_INTO_ITSELF", "Không thể hợp nhất vào chính nó / a committee cannot merge into itself");
                ok = false;
            }
            else if (RequireCommittee(field, change.CommitteeIds[i], date, ending: true) is { } committee)
            {
                merged.Add(committee);
            }
            else
            {
                ok = false;
            }
        }

        if (!ok)
        {
            return;
        }

        foreach (var committee in merged)
        {
            EndCommittee(committee, date, CommitteeState.Merged, successor!.Id);
            Emit(new CommitteeMerged(committee.Id, successor.Id, decisionId, date));
        }

        Touch(successor!.Id);
    }

    private void Dissolve(DissolveCommittee change, CivilDate date)
    {
        if (RequireCommittee(change.Path + ".committee", change.CommitteeId, date, ending: true) is { } committee)
        {
            EndCommittee(committee, date, CommitteeState.Dissolved, null);
            Emit(new CommitteeDissolved(committee.Id, decisionId, date));
        }
    }

    /// <summary>The committee ends on the date: its open memberships and working groups end with it.</summary>
    private void EndCommittee(Committee committee, CivilDate date, CommitteeState state, string? successorId)
    {
        foreach (var membership in committee.Memberships.Where(m => m.OpenOn(date.FirstDay)).ToList())
        {
            // One that has not started yet ends on its start: it never takes effect.
            membership.EndOn(membership.Start > date ? membership.Start : date, decisionId, null, legalBasisBound);
            Emit(new MembershipEnded(committee.Id, membership.Id, decisionId, date));
        }

        foreach (var group in committee.WorkingGroups.Where(g => g.OpenOn(date.FirstDay)))
        {
            group.Dissolve(group.Start > date ? group.Start : date, decisionId);
            Emit(new WorkingGroupChanged(committee.Id, group.Id, WorkingGroupChange.Dissolved, decisionId, date));
        }

        committee.End(date, state, successorId, decisionId);
    }
}
