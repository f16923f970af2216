using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Compliance;
using Egov.Steering.ServiceDefaults.Errors;
using Google.Protobuf.WellKnownTypes;
using Contract = Egov.Steering.Membership.V1;
using TypesV1 = Egov.Steering.Types.V1;

namespace Egov.Steering.Membership.Mapping;

/// <summary>
/// The register's contract form as of a date: committees, memberships, working groups and compliance as the gRPC
/// API, the cached views and the events return them (names of people only, never contact data). Enum numbers equal
/// the contract's, so enums map with a cast.
/// </summary>
public static class ContractMapper
{
    public static Google.Type.Date ToDate(DateOnly date) => new() { Year = date.Year, Month = date.Month, Day = date.Day };

    public static TypesV1.CivilDate? ToProto(CivilDate? date) => date is { } value ? Mapping.ChangeMapper.ToProto(value) : null;

    /// <summary>
    /// The committee as of <see cref="CommitteeAsOf.Date"/>, with its lineage and the given compliance status: only what
    /// is true on that date (its end and successor once ended, names and predecessors up to then).
    /// </summary>
    public static Contract.Committee Committee(Register register, CommitteeAsOf asOf, ComplianceStatus? compliance)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(asOf);
        var committee = asOf.Committee;
        var ended = asOf.State is CommitteeState.Merged or CommitteeState.Dissolved or CommitteeState.JurisdictionEnded;
        var result = new Contract.Committee
        {
            Name = committee.ResourceName,
            DisplayName = asOf.DisplayName,
            Description = committee.Description ?? "",
            Contact = new Contract.CommitteeContact
            {
                Address = committee.Contact.Address ?? "",
                Phone = committee.Contact.Phone ?? "",
                Email = committee.Contact.Email ?? "",
                Website = committee.Contact.Website ?? "",
            },
            Level = (TypesV1.CommitteeLevel)(int)committee.Level,
            Jurisdiction = committee.Jurisdiction,
            Parent = committee.ParentId is { } parent ? "committees/" + parent : "",
            FocalAgency = asOf.FocalAgency is { } agency
                ? new TypesV1.FocalAgency { DisplayName = agency.DisplayName, Organisation = agency.Organisation ?? "" }
                : null,
            FoundingDate = ToProto(committee.FoundingDate),
            FoundingDecision = DecisionName(committee.FoundingDecisionId),
            EndDate = ended ? ToProto(committee.LifeEnd) : null,
            State = (Contract.CommitteeState)(int)asOf.State,
            Successor = ended && committee.SuccessorId is { } successor ? "committees/" + successor : "",
            LastConsolidationDecision = DecisionName(asOf.LastConsolidation?.DecisionId),
            ComplianceStatus = (Contract.ComplianceStatus)(int)(compliance ?? 0),
            Version = committee.Version,
            CreateTime = Timestamp(committee.CreatedAt),
            UpdateTime = Timestamp(committee.UpdatedAt),
            Etag = EntityTag.Of(committee.Version),
            RecordStartDate = ToProto(committee.RecordStart),
            ConfirmedThrough = ToProto(committee.ConfirmedThrough()),
            BeyondConfirmedRecord = asOf.BeyondConfirmedRecord,
        };
        result.Names.AddRange(committee.Names.Where(n => n.Start.FirstDay <= asOf.Date).Select(n => new Contract.CommitteeName
        {
            DisplayName = n.DisplayName,
            StartDate = ToProto(n.Start),
            EndDate = n.End is { } end && end.FirstDay <= asOf.Date ? ToProto(end) : null,
            Decision = DecisionName(n.DecisionId),
        }));
        result.OtherSpellings.AddRange(committee.OtherSpellings);
        result.MandateTopics.AddRange(asOf.Mandate.Select(t => (TypesV1.MandateTopic)(int)t));
        result.Predecessors.AddRange(register.PredecessorsOf(committee.Id)
            .Where(p => p.StateOn(asOf.Date) == CommitteeState.Merged).Select(p => p.ResourceName).Order(StringComparer.Ordinal));
        return result;
    }

    /// <summary>
    /// A membership with its roles and the person sitting in it on the date (ex officio: the post's holder then); its
    /// end once it can have happened by then, or always <paramref name="withEnd"/> (the seat on its last day, ending).
    /// </summary>
    public static Contract.CommitteeMembership Membership(Register register, CommitteeMembership membership, DateOnly date, bool withEnd = false)
    {
        ArgumentNullException.ThrowIfNull(register);
        return Membership(register.SeatOn(membership, date), date, withEnd);
    }

    public static Contract.CommitteeMembership Membership(SeatAsOf seat, DateOnly date, bool withEnd = false)
    {
        ArgumentNullException.ThrowIfNull(seat);
        var membership = seat.Membership;
        var endKnown = withEnd || membership.EndKnownOn(date);
        var result = new Contract.CommitteeMembership
        {
            Name = membership.ResourceName,
            Person = membership.PersonId is { } person ? "people/" + person : "",
            Post = membership.PostId is { } post ? "posts/" + post : "",
            PersonDisplayName = seat.Person?.DisplayName ?? "",
            PostDisplayName = seat.Post?.DisplayName ?? "",
            OtherRole = seat.Roles.OtherRole ?? "",
            StartDate = ToProto(membership.Start),
            EndDate = endKnown ? ToProto(membership.End) : null,
            AppointingDecision = DecisionName(membership.AppointingDecisionId),
            EndingDecision = endKnown ? DecisionName(membership.EndingDecisionId) : "",
            EndReason = endKnown ? membership.EndReason ?? "" : "",
            State = (Contract.MembershipState)(int)membership.StateOn(date),
            CreateTime = Timestamp(membership.CreatedAt),
            UpdateTime = Timestamp(membership.UpdatedAt),
            Etag = EntityTag.Of(membership.Revision),
            HolderNotKnown = !seat.HolderKnown,
            Certainty = (Contract.Certainty)(int)seat.Certainty,
            StartNotBefore = membership.StartNotBefore is { } earliestStart ? ToDate(earliestStart) : null,
            EndNotBefore = endKnown && membership.EndNotBefore is { } earliestEnd ? ToDate(earliestEnd) : null,
        };
        result.Roles.AddRange(seat.Roles.Roles.Select(r => (TypesV1.MembershipRole)(int)r));
        return result;
    }

    /// <summary>A working group with its members on the date.</summary>
    public static Contract.WorkingGroup WorkingGroup(Register register, WorkingGroup group, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(group);
        return WorkingGroup(register.WorkingGroupOn(group, date));
    }

    public static Contract.WorkingGroup WorkingGroup(WorkingGroupAsOf asOf)
    {
        ArgumentNullException.ThrowIfNull(asOf);
        var group = asOf.Group;
        var result = new Contract.WorkingGroup
        {
            Name = group.ResourceName,
            DisplayName = group.DisplayName,
            Purpose = group.Purpose ?? "",
            StartDate = ToProto(group.Start),
            EndDate = ToProto(group.End),
            EstablishingDecision = DecisionName(group.EstablishingDecisionId),
            DissolvingDecision = DecisionName(group.DissolvingDecisionId),
            CreateTime = Timestamp(group.CreatedAt),
            UpdateTime = Timestamp(group.UpdatedAt),
            Etag = EntityTag.Of(group.Revision),
        };
        result.Members.AddRange(asOf.Seats.Select(s => new Contract.WorkingGroupMember
        {
            Person = s.Seat.PersonId is { } person ? "people/" + person : "",
            Post = s.Seat.PostId is { } post ? "posts/" + post : "",
            PersonDisplayName = s.Person?.DisplayName ?? "",
            PostDisplayName = s.Post?.DisplayName ?? "",
            Role = (TypesV1.WorkingGroupRole)(int)s.Seat.Role,
            StartDate = ToProto(s.Seat.Start),
            EndDate = ToProto(s.Seat.End),
        }));
        return result;
    }

    public static Contract.CommitteeCompliance Compliance(CommitteeCompliance compliance, DateTime evaluatedAt)
    {
        ArgumentNullException.ThrowIfNull(compliance);
        var result = new Contract.CommitteeCompliance
        {
            Status = (Contract.ComplianceStatus)(int)compliance.Status,
            EvaluateTime = Timestamp(evaluatedAt),
        };
        result.Findings.AddRange(compliance.Findings.Select(f => new Contract.ComplianceFinding
        {
            Rule = "complianceRules/" + f.RuleId,
            Status = (Contract.ComplianceStatus)(int)f.Status,
            Explanation = f.Explanation,
        }));
        return result;
    }

    public static string DecisionName(string? decisionId) => decisionId is null ? "" : "decisions/" + decisionId;

    public static Timestamp? Timestamp(DateTime time) =>
        time == default ? null : Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
