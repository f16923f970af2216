using System.Text.RegularExpressions;
using Egov.Steering.ReferenceData;

namespace Egov.Steering.Membership.Domain.Decisions;

/// <summary>
/// One pass over a decision's changes. Each change is checked against the state the earlier changes left; a change
/// with problems is skipped (its effect is not applied) and the pass goes on, so every problem is reported at once.
/// </summary>
internal sealed partial class DecisionRun(Register register, DecisionToApply decision) : IDecisionChangeVisitor
{
    private readonly List<Problem> problems = [];
    private readonly List<DomainEvent> events = [];
    private readonly List<string> affected = [];
    private readonly string? decisionId = decision.DecisionId.Length > 0 ? decision.DecisionId : null;

    /// <summary>The latest effective date among its recorded legal bases: it cannot take effect before (null when none is recorded).</summary>
    private readonly DateOnly? legalBasisBound = decision.LegalBasisDecisionIds
        .Select(id => register.FindApplied(id)?.EffectiveDate.FirstDay)
        .Max();

    public DecisionOutcome Execute()
    {
        foreach (var change in decision.Changes)
        {
            change.Accept(this);
        }

        CheckSubjectCommittees();
        RecordDecisionOnCommittees();
        return problems.Count > 0
            ? new DecisionOutcome(DecisionResult.Rejected, problems, [], [])
            : new DecisionOutcome(DecisionResult.Applied, [], events, affected);
    }

    void IDecisionChangeVisitor.EstablishCommittee(EstablishCommittee change) => Establish(change, DateOf(change));

    void IDecisionChangeVisitor.SetRoster(SetRoster change) => SetRoster(change, DateOf(change));

    void IDecisionChangeVisitor.Appoint(Appoint change) => Appoint(change, DateOf(change));

    void IDecisionChangeVisitor.Relieve(Relieve change) => Relieve(change, DateOf(change));

    void IDecisionChangeVisitor.ChangeRoles(ChangeRoles change) => ChangeRoles(change, DateOf(change));

    void IDecisionChangeVisitor.SetMandate(SetMandate change) => SetMandate(change, DateOf(change));

    void IDecisionChangeVisitor.SetFocalAgency(SetFocalAgency change) => SetFocalAgency(change, DateOf(change));

    void IDecisionChangeVisitor.RenameCommittee(RenameCommittee change) => Rename(change, DateOf(change));

    void IDecisionChangeVisitor.EstablishWorkingGroup(EstablishWorkingGroup change) => EstablishWorkingGroup(change, DateOf(change));

    void IDecisionChangeVisitor.SetWorkingGroupMembers(SetWorkingGroupMembers change) => SetWorkingGroupMembers(change, DateOf(change));

    void IDecisionChangeVisitor.DissolveWorkingGroup(DissolveWorkingGroup change) => DissolveWorkingGroup(change, DateOf(change));

    void IDecisionChangeVisitor.MergeCommittees(MergeCommittees change) => Merge(change, DateOf(change));

    void IDecisionChangeVisitor.DissolveCommittee(DissolveCommittee change) => Dissolve(change, DateOf(change));

    void IDecisionChangeVisitor.AssignPostHolder(AssignPostHolder change) => AssignPostHolder(change, DateOf(change));

    void IDecisionChangeVisitor.RevokeDecisionEffects(RevokeDecisionEffects change) => Revoke(change, DateOf(change));

    /// <summary>A change takes effect on its own date, else on the decision's.</summary>
    private CivilDate DateOf(DecisionChange change) => change.EffectiveDate ?? decision.EffectiveDate;

    /// <summary>
    /// A decision takes a place in each subject committee's issue order and is listed on it: each must exist (or be
    /// established by the changes, which ran before) and be the owner's to act on, as for a change. Every committee a
    /// change acts on must be among them, else that change would not wait for the committee's earlier decisions.
    /// </summary>
    private void CheckSubjectCommittees()
    {
        for (var i = 0; i < decision.SubjectCommitteeIds.Count; i++)
        {
            var id = decision.SubjectCommitteeIds[i];
            var committee = register.FindCommittee(id);
            if (committee is null)
            {
                Report($"subject_committees[{i}]", "UNKNOWN_COMMITTEE", $"Không có ban chỉ đạo committees/{id} / no such committee");
            }
            else if (!CanWrite(committee.Jurisdiction))
            {
                ReportNotOwner($"subject_committees[{i}]", committee);
            }
        }

        if (decision.SubjectCommitteeIds.Count == 0)
        {
            return;
        }

        foreach (var changed in decision.ChangedCommittees.Where(changed => !decision.SubjectCommitteeIds.Contains(changed.CommitteeId, StringComparer.Ordinal)))
        {
            Report(changed.Field, "COMMITTEE_NOT_A_SUBJECT", $"committees/{changed.CommitteeId} không thuộc các ban chỉ đạo của quyết định / is not a subject committee of the decision");
        }
    }

    private void RecordDecisionOnCommittees()
    {
        if (problems.Count > 0)
        {
            return;
        }

        // The committees its changes acted on (each got an event); a subject committee named only for order, e.g. by
        // a change of an office's holder, is recorded too but does not confirm the committee's state.
        var actedOn = affected.ToHashSet(StringComparer.Ordinal);
        foreach (var id in decision.SubjectCommitteeIds)
        {
            Touch(id);
        }

        if (decisionId is null)
        {
            return;
        }

        foreach (var committee in affected.Select(id => register.FindCommittee(id)!))
        {
            committee.Decisions.Add(new CommitteeDecision(
                decisionId, decision.Number, decision.Kinds, decision.EffectiveDate, decision.LegalBasis, actedOn.Contains(committee.Id)));
        }

        register.MarkApplied(new AppliedDecision(decisionId, decision.Number, decision.EffectiveDate, affected));
    }

    private void Report(string field, string reason, string description) => problems.Add(new Problem(field, reason, description));

    private void Touch(string committeeId)
    {
        if (!affected.Contains(committeeId))
        {
            affected.Add(committeeId);
        }
    }

    private void Emit(CommitteeEvent @event)
    {
        var committee = register.FindCommittee(@event.CommitteeId)!;
        Touch(committee.Id);
        events.Add(@event with { AggregateVersion = committee.NextVersion() });
    }

    // ---- shared checks -------------------------------------------------------------------------------------------

    [GeneratedRegex("^[a-z][a-z0-9-]{2,62}$")]
    private static partial Regex IdPattern();

    private static bool IsValidId(string id) => IdPattern().IsMatch(id);

    private bool CanWrite(string jurisdiction) =>
        decision.OwnerOrganisation == jurisdiction || decision.OwnerOrganisation == Organisations.National;

    private void ReportNotOwner(string field, Committee committee) =>
        Report(field, "NOT_OWNER", $"committees/{committee.Id} thuộc {committee.Jurisdiction}, không thuộc {decision.OwnerOrganisation} / belongs to another organisation");

    /// <summary>The committee, when it exists, belongs to the decision's owner and exists on the date.</summary>
    /// <param name="ending">The change ends the committee (merge, dissolution): allowed on the day its jurisdiction ends.</param>
    private Committee? RequireCommittee(string field, string id, CivilDate date, bool ending = false)
    {
        var committee = register.FindCommittee(id);
        if (committee is null)
        {
            Report(field, "UNKNOWN_COMMITTEE", $"Không có ban chỉ đạo committees/{id} / no such committee");
            return null;
        }

        var ok = true;
        if (!CanWrite(committee.Jurisdiction))
        {
            ReportNotOwner(field, committee);
            ok = false;
        }

        if (committee.FoundingDate is { } founded && date < founded)
        {
            Report(field, "BEFORE_COMMITTEE_FOUNDED", $"Ngày hiệu lực {date} trước ngày thành lập {founded} của committees/{id} / effective before the committee was founded");
            ok = false;
        }
        else if (!committee.OpenOn(date.FirstDay)
            && !(ending && committee.EndDate is null && committee.JurisdictionEnd is { } ceased && ceased.FirstDay == date.FirstDay))
        {
            Report(field, "COMMITTEE_NOT_ACTIVE", $"committees/{id} đã chấm dứt từ {committee.LifeEnd} / the committee no longer exists on {date}");
            ok = false;
        }

        return ok ? committee : null;
    }

    private bool CheckHolder(string field, Holder holder)
    {
        if (holder.PersonId is null && holder.PostId is null)
        {
            Report(field, "MISSING_HOLDER", "Cần người hoặc chức vụ / a person or a post is required");
            return false;
        }

        var ok = true;
        if (holder.PersonId is { } person && register.FindPerson(person) is null)
        {
            Report(field + ".person", "UNKNOWN_PERSON", $"Không có people/{person} / no such person");
            ok = false;
        }

        if (holder.PostId is { } post && register.FindPost(post) is null)
        {
            Report(field + ".post", "UNKNOWN_POST", $"Không có posts/{post} / no such post");
            ok = false;
        }

        return ok;
    }

    private bool CheckRoles(string field, RoleSet roles)
    {
        if (roles.Roles.Count == 0)
        {
            Report(field, "MISSING_ROLE", "Cần ít nhất một vai trò / at least one role is required");
            return false;
        }

        if (roles.Contains(MembershipRole.Other) && string.IsNullOrWhiteSpace(roles.OtherRole))
        {
            Report(field, "MISSING_OTHER_ROLE", "Vai trò OTHER cần ghi rõ / role OTHER needs its wording");
            return false;
        }

        return true;
    }

    /// <summary>A new value of a history (name, mandate...) from the date on: never before the current one started.</summary>
    private bool CheckNotBefore(string field, CivilDate date, CivilDate latestStart, string what)
    {
        if (date >= latestStart)
        {
            return true;
        }

        Report(field, "HISTORY_REWRITE", $"{what}: ngày hiệu lực {date} trước thay đổi gần nhất ({latestStart}); không sửa lịch sử / effective before the latest change");
        return false;
    }

    private string Describe(Holder holder)
    {
        var person = register.FindPerson(holder.PersonId)?.DisplayName;
        var post = register.FindPost(holder.PostId)?.DisplayName;
        return (person, post) switch
        {
            ({ } p, { } o) => $"{p} ({o})",
            ({ } p, null) => p,
            (null, { } o) => o,
            _ => holder.ToString(),
        };
    }
}
