namespace Egov.Steering.Membership.Domain.Decisions;

internal sealed partial class DecisionRun
{
    private const string RevokedReason = "Quyết định bị thu hồi / decision revoked";

    /// <summary>
    /// Ends, from the date on, what the revoked decision did and what still stands: memberships it started end,
    /// memberships it ended resume (a future end is cancelled), roles/names/mandates/focal agencies/post holders it
    /// set revert, working groups and committees it established end. What happened before the date stays.
    /// </summary>
    private void Revoke(RevokeDecisionEffects change, CivilDate date)
    {
        var revoked = change.RevokedDecisionId;
        if (!register.IsApplied(revoked))
        {
            Report(change.Path + ".decision", "DECISION_NOT_APPLIED", $"decisions/{revoked} chưa được áp dụng / the decision was never applied");
            return;
        }

        var committees = register.Committees.Where(c => c.Decisions.Any(d => d.DecisionId == revoked)).ToList();
        var ok = true;
        foreach (var committee in committees)
        {
            ok &= RequireCommittee(change.Path + ".decision", committee.Id, date) is not null;
            if (committee.EndingDecisionId == revoked && committee.EndDate is { } end && end <= date)
            {
                Report(change.Path + ".decision", "REVOCATION_UNSUPPORTED", $"committees/{committee.Id} đã chấm dứt theo quyết định này; cần quyết định mới / an ended merge or dissolution is undone by a new decision");
                ok = false;
            }
        }

        if (!ok)
        {
            return;
        }

        foreach (var committee in committees)
        {
            RevokeOnCommittee(change.Path, committee, revoked, date);
        }

        foreach (var post in register.Posts.Where(p => p.Holders.Any(h => h.DecisionId == revoked && h.OpenOn(date.FirstDay))).ToList())
        {
            var index = post.Holders.FindLastIndex(h => h.DecisionId == revoked);
            var previous = index > 0 ? post.Holders[index - 1] : null;
            RecordHolder(post, previous?.PersonId, date, previous?.HolderNotRecorded ?? false);
        }
    }

    private void RevokeOnCommittee(string path, Committee committee, string revoked, CivilDate date)
    {
        committee.Decisions.Find(d => d.DecisionId == revoked)!.RevokedFrom = date;
        var touched = new List<CommitteeMembership>();
        foreach (var membership in committee.Memberships.ToList())
        {
            if (membership.AppointingDecisionId == revoked && membership.OpenOn(date.FirstDay))
            {
                membership.EndOn(membership.Start > date ? membership.Start : date, decisionId, RevokedReason);
                Emit(new MembershipEnded(committee.Id, membership.Id, decisionId, date));
            }
            else if (membership.EndingDecisionId == revoked && membership.End is { } end)
            {
                touched.Add(ResumeMembership(committee, membership, end, date));
            }
            else if (membership.RolePeriods.FindLastIndex(p => p.DecisionId == revoked) is var index and > 0
                && membership.RolePeriods[index].OpenOn(date.FirstDay) && membership.OpenOn(date.FirstDay))
            {
                ReplaceRoles(committee, membership, membership.RolePeriods[index - 1].RoleSet, date);
                touched.Add(membership);
            }
        }

        RevertPeriod(committee.Names, revoked, date, previous => new CommitteeName(previous.DisplayName, date, decisionId), committee,
            name => new CommitteeRenamed(committee.Id, name.DisplayName, committee.Names[^1].DisplayName, decisionId, date));
        RevertPeriod(committee.Mandates, revoked, date, previous => new CommitteeMandate(previous.Topics, date, decisionId), committee,
            _ => new CommitteeUpdated(committee.Id, CommitteeField.Mandate, decisionId, date));
        RevertPeriod(committee.FocalAgencies, revoked, date, previous => new CommitteeFocalAgency(previous.Agency, date, decisionId), committee,
            _ => new CommitteeUpdated(committee.Id, CommitteeField.FocalAgency, decisionId, date));

        foreach (var group in committee.WorkingGroups.Where(g => g.EstablishingDecisionId == revoked && g.OpenOn(date.FirstDay)))
        {
            group.Dissolve(group.Start > date ? group.Start : date, decisionId);
            Emit(new WorkingGroupChanged(committee.Id, group.Id, WorkingGroupChange.Dissolved, decisionId, date));
        }

        if (committee.EndingDecisionId == revoked)
        {
            committee.ClearEnd();
        }
        else if (committee.FoundingDecisionId == revoked && committee.OpenOn(date.FirstDay))
        {
            EndCommittee(committee, committee.FoundingDate is { } founded && founded > date ? founded : date, CommitteeState.Dissolved, null);
            Emit(new CommitteeDissolved(committee.Id, decisionId, date));
        }

        CheckInvariants(path, committee, touched);
    }

    /// <summary>A membership the revoked decision ended: a future end is cancelled, a past one resumes as a new membership.</summary>
    private CommitteeMembership ResumeMembership(Committee committee, CommitteeMembership membership, CivilDate end, CivilDate date)
    {
        if (end > date)
        {
            membership.Reopen();
            Emit(new MembershipReopened(committee.Id, membership.Id, decisionId, date));
            return membership;
        }

        return StartMembership(committee, new RosterSeat(membership.Holder, membership.CurrentRoles), date);
    }

    /// <summary>When the revoked decision set the value still standing on the date, the previous value returns then.</summary>
    private void RevertPeriod<T>(List<T> history, string revoked, CivilDate date, Func<T, T> restore, Committee committee, Func<T, CommitteeEvent> describe)
        where T : CommitteePeriod
    {
        var index = history.FindLastIndex(p => p.DecisionId == revoked);
        if (index <= 0 || index != history.Count - 1 || !history[index].OpenOn(date.FirstDay))
        {
            return;
        }

        var previous = history[index - 1];
        var reverted = history[index];
        if (reverted.Start.FirstDay >= date.FirstDay)
        {
            // Not in force yet: it never takes effect; the previous value stays open.
            history.RemoveAt(index);
            previous.End = null;
        }
        else
        {
            reverted.End = date;
            history.Add(restore(previous));
        }

        Emit(describe(reverted));
    }
}
