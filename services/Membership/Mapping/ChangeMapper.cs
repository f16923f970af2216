using Egov.Steering.Changes;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.Text;
using Google.Protobuf.Collections;
using Proto = Egov.Steering.Types.V1;

namespace Egov.Steering.Membership.Mapping;

/// <summary>
/// Maps a decision's contract form (PreviewChangesRequest, or the Decision carried by DecisionIssued) to the engine's
/// <see cref="DecisionToApply"/>. Malformed input (unset change, bad resource name, unknown enum value, bad date)
/// becomes problems with the same field paths as the engine's, so a caller gets every problem in one list.
/// </summary>
public sealed class ChangeMapper
{
    private readonly List<Problem> problems = [];

    private ChangeMapper()
    {
    }

    /// <summary>The decision, or null with every problem found in its form.</summary>
    public static (DecisionToApply? Decision, IReadOnlyList<Problem> Problems) FromPreview(Egov.Steering.Membership.V1.PreviewChangesRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mapper = new ChangeMapper();
        var decisionId = request.Decision.Length == 0 ? "" : mapper.Id(ResourceNames.Decision, request.Decision, "decision") ?? "";
        return mapper.Build(decisionId, null, request.EffectiveDate, [], mapper.Subjects(request.SubjectCommittees), request.OwnerOrganisation, request.Changes);
    }

    public static (DecisionToApply? Decision, IReadOnlyList<Problem> Problems) FromDecision(Egov.Steering.Decisions.V1.Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var mapper = new ChangeMapper();
        var decisionId = mapper.Id(ResourceNames.Decision, decision.Name, "name") ?? "";
        var kinds = decision.Kinds.Where(k => k != Egov.Steering.Decisions.V1.DecisionKind.Unspecified).Select(k => (DecisionKind)(int)k).ToList();
        var (mapped, problems) = mapper.Build(
            decisionId, decision.Number, decision.EffectiveDate, kinds, mapper.Subjects(decision.SubjectCommittees), decision.OwnerOrganisation, decision.Changes);
        return (mapped is null ? null : mapped with
        {
            ChangedCommittees = ChangedCommitteesOf(decision.Changes),
            LegalBasis = [.. decision.LegalBasis.Select(basis => basis.Citation).Where(citation => citation.Length > 0)],
            LegalBasisDecisionIds = [.. decision.LegalBasis.Select(basis => ResourceNames.Decision.Match(basis.Decision)?[0]).OfType<string>()],
        }, problems);
    }

    public static CivilDate? ToDomain(Proto.CivilDate? date) =>
        date is null || !CivilDate.IsValid(date.Year, date.Month, date.Day, (DatePrecision)(int)date.Precision)
            ? null
            : CivilDate.Create(date.Year, date.Month, date.Day, (DatePrecision)(int)date.Precision);

    public static Proto.CivilDate ToProto(CivilDate date) =>
        new() { Year = date.Year, Month = date.Month, Day = date.Day, Precision = (Proto.DatePrecision)(int)date.Precision };

    /// <summary>The most problems an answer or an event lists.</summary>
    public const int MaxProblems = 100;

    /// <summary>The longest field path or description of a listed problem, in characters.</summary>
    public const int MaxProblemText = 500;

    /// <summary>
    /// The problems as a dry run or a rejection reports them, bounded: the first <see cref="MaxProblems"/>, each cut at
    /// <see cref="MaxProblemText"/> characters (a description may quote what was sent), and one more saying how many
    /// were left out. A decision of a thousand mistyped entries is one answer a default client can read, not 13 MB.
    /// </summary>
    public static IEnumerable<Proto.ValidationProblem> ToProto(IReadOnlyCollection<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var problem in problems.Take(MaxProblems))
        {
            yield return new Proto.ValidationProblem
            {
                Field = ErrorBounds.Truncate(problem.Field, MaxProblemText),
                Reason = problem.Reason,
                Description = ErrorBounds.Truncate(problem.Description, MaxProblemText),
            };
        }

        if (problems.Count > MaxProblems)
        {
            yield return new Proto.ValidationProblem
            {
                Field = "changes",
                Reason = "MORE_PROBLEMS",
                Description = $"Còn {problems.Count - MaxProblems} vấn đề khác không liệt kê / {problems.Count - MaxProblems} more problems not listed",
            };
        }
    }

    /// <summary>The committees the changes act on, by the same reading Decisions checks them with.</summary>
    private static List<ChangedCommittee> ChangedCommitteesOf(RepeatedField<Proto.Change> changes) =>
        [.. changes.SelectMany((change, i) => ChangedCommittees.Of(change)
            .Select(named => new ChangedCommittee($"changes[{i}].{named.Field}", ResourceNames.Committee.Match(named.Committee)![0])))];

    private List<string> Subjects(RepeatedField<string> names) =>
        [.. names.Select((name, i) => Id(ResourceNames.Committee, name, $"subject_committees[{i}]")).OfType<string>()];

    private (DecisionToApply?, IReadOnlyList<Problem>) Build(
        string decisionId,
        string? number,
        Proto.CivilDate? effectiveDate,
        IReadOnlyList<DecisionKind> kinds,
        IReadOnlyList<string> subjects,
        string owner,
        RepeatedField<Proto.Change> changes)
    {
        var date = Date(effectiveDate, "effective_date", required: true);
        var mapped = changes.Select((change, i) => Change(change, $"changes[{i}]")).OfType<DecisionChange>().ToList();
        if (owner.Length == 0)
        {
            Report("owner_organisation", "MISSING_OWNER", "Cần mã tổ chức ban hành / the owning organisation is required");
        }

        return problems.Count > 0
            ? (null, problems)
            : (new DecisionToApply(decisionId, string.IsNullOrEmpty(number) ? null : number, date!.Value, kinds, subjects, owner, mapped), problems);
    }

    private DecisionChange? Change(Proto.Change change, string path) =>
        change.Accept(new KindMapper(this, path, Date(change.EffectiveDate, path + ".effective_date", required: false)));

    private DecisionChange? Missing(string path)
    {
        Report(path, "MISSING_CHANGE", "Thay đổi không có nội dung / the change sets no kind");
        return null;
    }

    private EstablishCommittee? Establish(Proto.EstablishCommittee c, string path, CivilDate? date)
    {
        var level = Enum<CommitteeLevel>((int)c.Level, path + ".level");
        var parent = c.Parent.Length == 0 ? null : Id(ResourceNames.Committee, c.Parent, path + ".parent");
        var mandate = Topics(c.MandateTopics, path + ".mandate_topics");
        var focal = c.FocalAgency is null ? null : FocalAgency(c.FocalAgency, path + ".focal_agency");
        var name = Text(c.DisplayName, path + ".display_name", TextLimits.Name);
        return level is null ? null
            : new EstablishCommittee(path, date, c.CommitteeId, name, level.Value, c.Jurisdiction, parent, mandate, focal, c.AlreadyExisted);
    }

    private SetRoster? SetRoster(Proto.SetRoster c, string path, CivilDate? date)
    {
        var committee = Id(ResourceNames.Committee, c.Committee, path + ".committee");
        var seats = c.Entries.Select((e, i) => Seat(e, $"{path}.entries[{i}]")).ToList();
        var endReason = NullIfEmpty(Text(c.EndReason, path + ".end_reason", TextLimits.Reason));
        return committee is null || seats.Contains(null) ? null
            : new SetRoster(path, date, committee, [.. seats.OfType<RosterSeat>()], endReason);
    }

    private Appoint? Appoint(Proto.Appoint c, string path, CivilDate? date)
    {
        var committee = Id(ResourceNames.Committee, c.Committee, path + ".committee");
        var seat = c.Entry is null ? Problem<RosterSeat>(path + ".entry", "MISSING_ENTRY", "Cần thành viên / the entry is required") : Seat(c.Entry, path + ".entry");
        return committee is null || seat is null ? null : new Appoint(path, date, committee, seat);
    }

    private Relieve? Relieve(Proto.Relieve c, string path, CivilDate? date)
    {
        var target = Target(c.TargetCase == Proto.Relieve.TargetOneofCase.Membership ? c.Membership : null,
            c.TargetCase == Proto.Relieve.TargetOneofCase.Holder ? c.Holder : null, c.Committee, path);
        var reason = NullIfEmpty(Text(c.Reason, path + ".reason", TextLimits.Reason));
        return target is null ? null : new Relieve(path, date, target, reason);
    }

    private ChangeRoles? ChangeRoles(Proto.ChangeRoles c, string path, CivilDate? date)
    {
        var target = Target(c.TargetCase == Proto.ChangeRoles.TargetOneofCase.Membership ? c.Membership : null,
            c.TargetCase == Proto.ChangeRoles.TargetOneofCase.Holder ? c.Holder : null, c.Committee, path);
        var roles = Roles(c.Roles, c.OtherRole, path);
        return target is null || roles is null ? null : new ChangeRoles(path, date, target, roles);
    }

    private SetMandate? SetMandate(Proto.SetMandate c, string path, CivilDate? date)
    {
        var committee = Id(ResourceNames.Committee, c.Committee, path + ".committee");
        var topics = Topics(c.MandateTopics, path + ".mandate_topics");
        return committee is null ? null : new SetMandate(path, date, committee, topics);
    }

    private SetFocalAgency? SetFocalAgency(Proto.SetFocalAgency c, string path, CivilDate? date)
    {
        var committee = Id(ResourceNames.Committee, c.Committee, path + ".committee");
        var agency = c.FocalAgency is null
            ? Problem<FocalAgency>(path + ".focal_agency", "MISSING_FOCAL_AGENCY", "Cần cơ quan đầu mối / the focal agency is required")
            : FocalAgency(c.FocalAgency, path + ".focal_agency");
        return committee is null || agency is null ? null : new SetFocalAgency(path, date, committee, agency);
    }

    private RenameCommittee? Rename(Proto.RenameCommittee c, string path, CivilDate? date)
    {
        var committee = Id(ResourceNames.Committee, c.Committee, path + ".committee");
        var name = Text(c.DisplayName, path + ".display_name", TextLimits.Name);
        return committee is null ? null : new RenameCommittee(path, date, committee, name);
    }

    private EstablishWorkingGroup? EstablishWorkingGroup(Proto.EstablishWorkingGroup c, string path, CivilDate? date)
    {
        var committee = Id(ResourceNames.Committee, c.Committee, path + ".committee");
        var seats = GroupSeats(c.Seats, path + ".seats");
        var name = Text(c.DisplayName, path + ".display_name", TextLimits.Name);
        var purpose = NullIfEmpty(Text(c.Purpose, path + ".purpose", TextLimits.Description));
        return committee is null || seats is null ? null
            : new EstablishWorkingGroup(path, date, committee, c.WorkingGroupId, name, purpose, seats);
    }

    private SetWorkingGroupMembers? SetWorkingGroupMembers(Proto.SetWorkingGroupMembers c, string path, CivilDate? date)
    {
        var ids = Ids(ResourceNames.WorkingGroup, c.WorkingGroup, path + ".working_group");
        var seats = GroupSeats(c.Seats, path + ".seats");
        return ids is null || seats is null ? null : new SetWorkingGroupMembers(path, date, ids[0], ids[1], seats);
    }

    private DissolveWorkingGroup? DissolveWorkingGroup(Proto.DissolveWorkingGroup c, string path, CivilDate? date) =>
        Ids(ResourceNames.WorkingGroup, c.WorkingGroup, path + ".working_group") is { } ids
            ? new DissolveWorkingGroup(path, date, ids[0], ids[1])
            : null;

    private MergeCommittees? Merge(Proto.MergeCommittees c, string path, CivilDate? date)
    {
        var merged = c.Committees.Select((name, i) => Id(ResourceNames.Committee, name, $"{path}.committees[{i}]")).ToList();
        var successor = Id(ResourceNames.Committee, c.Successor, path + ".successor");
        return successor is null || merged.Contains(null) ? null : new MergeCommittees(path, date, [.. merged.OfType<string>()], successor);
    }

    private DissolveCommittee? Dissolve(Proto.DissolveCommittee c, string path, CivilDate? date) =>
        Id(ResourceNames.Committee, c.Committee, path + ".committee") is { } id ? new DissolveCommittee(path, date, id) : null;

    private AssignPostHolder? AssignPostHolder(Proto.AssignPostHolder c, string path, CivilDate? date)
    {
        var post = Id(ResourceNames.Post, c.Post, path + ".post");
        var person = c.Person.Length == 0 ? null : Id(ResourceNames.Person, c.Person, path + ".person");
        if (c.HolderNotRecorded && c.Person.Length > 0)
        {
            Report(path + ".person", "HOLDER_NOT_RECORDED_WITH_PERSON", "Không ghi người khi người kế nhiệm không được nguồn nêu / must be empty when holder_not_recorded is set");
            return null;
        }

        return post is null || (c.Person.Length > 0 && person is null) ? null : new AssignPostHolder(path, date, post, person, c.HolderNotRecorded);
    }

    private RevokeDecisionEffects? Revoke(Proto.RevokeDecisionEffects c, string path, CivilDate? date) =>
        Id(ResourceNames.Decision, c.Decision, path + ".decision") is { } id ? new RevokeDecisionEffects(path, date, id) : null;

    private MembershipTarget? Target(string? membership, Proto.Holder? holder, string committee, string path)
    {
        if (membership is not null)
        {
            return Ids(ResourceNames.Membership, membership, path + ".membership") is { } ids ? new MembershipTarget(ids[0], ids[1], null) : null;
        }

        if (holder is null)
        {
            Report(path, "MISSING_TARGET", "Cần thành viên (membership hoặc holder) / membership or holder is required");
            return null;
        }

        var committeeId = Id(ResourceNames.Committee, committee, path + ".committee");
        var mapped = Holder(holder, path + ".holder");
        return committeeId is null || mapped is null ? null : new MembershipTarget(committeeId, null, mapped);
    }

    private RosterSeat? Seat(Proto.RosterEntry entry, string path)
    {
        var holder = entry.Holder is null ? Problem<Holder>(path + ".holder", "MISSING_HOLDER", "Cần người hoặc chức vụ / a person or a post is required") : Holder(entry.Holder, path + ".holder");
        var roles = Roles(entry.Roles, entry.OtherRole, path);
        return holder is null || roles is null ? null : new RosterSeat(holder, roles);
    }

    private IReadOnlyList<GroupSeat>? GroupSeats(RepeatedField<Proto.WorkingGroupSeat> seats, string path)
    {
        var mapped = seats.Select((seat, i) =>
        {
            var holder = seat.Holder is null ? Problem<Holder>($"{path}[{i}].holder", "MISSING_HOLDER", "Cần người hoặc chức vụ / a person or a post is required") : Holder(seat.Holder, $"{path}[{i}].holder");
            var role = Enum<WorkingGroupRole>((int)seat.Role, $"{path}[{i}].role");
            return holder is null || role is null ? null : new GroupSeat(holder, role.Value);
        }).ToList();
        return mapped.Contains(null) ? null : [.. mapped.OfType<GroupSeat>()];
    }

    private Holder? Holder(Proto.Holder holder, string path)
    {
        if (holder.Person.Length == 0 && holder.Post.Length == 0)
        {
            Report(path, "MISSING_HOLDER", "Cần người hoặc chức vụ / a person or a post is required");
            return null;
        }

        var person = holder.Person.Length == 0 ? null : Id(ResourceNames.Person, holder.Person, path + ".person");
        var post = holder.Post.Length == 0 ? null : Id(ResourceNames.Post, holder.Post, path + ".post");
        return (holder.Person.Length > 0 && person is null) || (holder.Post.Length > 0 && post is null) ? null : new Holder(person, post);
    }

    /// <summary>The roles and other_role of the entry or change at <paramref name="path"/>.</summary>
    private RoleSet? Roles(RepeatedField<Proto.MembershipRole> roles, string otherRole, string path)
    {
        var mapped = roles.Select((role, i) => Enum<MembershipRole>((int)role, $"{path}.roles[{i}]")).ToList();
        var wording = NullIfEmpty(Text(otherRole, path + ".other_role", TextLimits.Name));
        return mapped.Contains(null) ? null : new RoleSet([.. mapped.Select(r => r!.Value)], wording);
    }

    private List<MandateTopic> Topics(RepeatedField<Proto.MandateTopic> topics, string path) =>
        [.. topics.Select((topic, i) => Enum<MandateTopic>((int)topic, $"{path}[{i}]")).OfType<MandateTopic>()];

    private FocalAgency FocalAgency(Proto.FocalAgency agency, string path)
    {
        if (agency.Organisation.Length > 0 && !ReferenceData.Organisations.IsKnown(agency.Organisation))
        {
            Report(path + ".organisation", "UNKNOWN_JURISDICTION", $"Mã tổ chức {agency.Organisation} không tồn tại / unknown organisation code");
        }

        return new FocalAgency(Text(agency.DisplayName, path + ".display_name", TextLimits.Name), NullIfEmpty(agency.Organisation));
    }

    private CivilDate? Date(Proto.CivilDate? date, string path, bool required)
    {
        if (date is null)
        {
            if (required)
            {
                Report(path, "MISSING_DATE", "Cần ngày hiệu lực / the date is required");
            }

            return null;
        }

        var mapped = ToDomain(date);
        if (mapped is null)
        {
            Report(path, "INVALID_DATE", $"{date.Year}-{date.Month}-{date.Day} ({date.Precision}) không phải ngày hợp lệ / not a valid date of that precision");
        }

        return mapped;
    }

    private string? Id(ResourceNameTemplate template, string name, string path) => Ids(template, name, path)?[0];

    private IReadOnlyList<string>? Ids(ResourceNameTemplate template, string name, string path)
    {
        var ids = template.Match(name);
        if (ids is null)
        {
            Report(path, name.Length == 0 ? "MISSING_NAME" : "INVALID_NAME", $"'{name}' không đúng dạng {template.Pattern} / expected {template.Pattern}");
        }

        return ids;
    }

    private T? Enum<T>(int value, string path)
        where T : struct, Enum
    {
        var mapped = (T)(object)value;
        if (value != 0 && System.Enum.IsDefined(mapped))
        {
            return mapped;
        }

        Report(path, "INVALID_ENUM", $"Giá trị {value} không hợp lệ cho {typeof(T).Name} / unset or unknown value");
        return null;
    }

    private T? Problem<T>(string path, string reason, string description)
        where T : class
    {
        Report(path, reason, description);
        return null;
    }

    private void Report(string field, string reason, string description) => problems.Add(new Problem(field, reason, description));

    /// <summary>The text as stored (trimmed, NFC), reported when longer than the column it is stored in.</summary>
    private string Text(string text, string path, int limit)
    {
        var stored = VietnameseText.Normalize(text.Trim());
        if (stored.Length > limit)
        {
            Report(path, "TOO_LONG", $"Dài {stored.Length} ký tự, tối đa {limit} / {stored.Length} characters, at most {limit}");
        }

        return stored;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    /// <summary>Maps the kind a change sets, at its path ("changes[3]") and effective date.</summary>
    private sealed class KindMapper(ChangeMapper mapper, string path, CivilDate? date) : IChangeVisitor<DecisionChange?>
    {
        public DecisionChange? EstablishCommittee(Proto.EstablishCommittee change) => mapper.Establish(change, path + ".establish_committee", date);

        public DecisionChange? SetRoster(Proto.SetRoster change) => mapper.SetRoster(change, path + ".set_roster", date);

        public DecisionChange? Appoint(Proto.Appoint change) => mapper.Appoint(change, path + ".appoint", date);

        public DecisionChange? Relieve(Proto.Relieve change) => mapper.Relieve(change, path + ".relieve", date);

        public DecisionChange? ChangeRoles(Proto.ChangeRoles change) => mapper.ChangeRoles(change, path + ".change_roles", date);

        public DecisionChange? SetMandate(Proto.SetMandate change) => mapper.SetMandate(change, path + ".set_mandate", date);

        public DecisionChange? SetFocalAgency(Proto.SetFocalAgency change) => mapper.SetFocalAgency(change, path + ".set_focal_agency", date);

        public DecisionChange? RenameCommittee(Proto.RenameCommittee change) => mapper.Rename(change, path + ".rename_committee", date);

        public DecisionChange? EstablishWorkingGroup(Proto.EstablishWorkingGroup change) => mapper.EstablishWorkingGroup(change, path + ".establish_working_group", date);

        public DecisionChange? SetWorkingGroupMembers(Proto.SetWorkingGroupMembers change) => mapper.SetWorkingGroupMembers(change, path + ".set_working_group_members", date);

        public DecisionChange? DissolveWorkingGroup(Proto.DissolveWorkingGroup change) => mapper.DissolveWorkingGroup(change, path + ".dissolve_working_group", date);

        public DecisionChange? MergeCommittees(Proto.MergeCommittees change) => mapper.Merge(change, path + ".merge_committees", date);

        public DecisionChange? DissolveCommittee(Proto.DissolveCommittee change) => mapper.Dissolve(change, path + ".dissolve_committee", date);

        public DecisionChange? AssignPostHolder(Proto.AssignPostHolder change) => mapper.AssignPostHolder(change, path + ".assign_post_holder", date);

        public DecisionChange? RevokeDecisionEffects(Proto.RevokeDecisionEffects change) => mapper.Revoke(change, path + ".revoke_decision_effects", date);

        public DecisionChange? NoKind() => mapper.Missing(path);
    }
}
