using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Compliance;
using Egov.Steering.Membership.Mapping;
using Google.Protobuf.WellKnownTypes;
using T = Egov.Steering.Types.V1;
using V1 = Egov.Steering.Membership.V1;

namespace Egov.Steering.Membership.Grpc;

/// <summary>
/// The register's resources in their contract form, as of a date. The domain enums share the contract's numbers, so
/// enums map with a cast. Contact details of people are included only when the caller may see them.
/// </summary>
public static class ProtoMapping
{
    public static V1.Committee ToProto(
        this Committee committee, DateOnly date, IEnumerable<string> predecessorIds, ComplianceStatus? compliance)
    {
        ArgumentNullException.ThrowIfNull(committee);
        var proto = new V1.Committee
        {
            Name = committee.ResourceName,
            DisplayName = committee.DisplayNameOn(date),
            Description = committee.Description ?? "",
            Contact = new V1.CommitteeContact
            {
                Address = committee.Contact.Address ?? "",
                Phone = committee.Contact.Phone ?? "",
                Email = committee.Contact.Email ?? "",
                Website = committee.Contact.Website ?? "",
            },
            Level = (T.CommitteeLevel)(int)committee.Level,
            Jurisdiction = committee.Jurisdiction,
            Parent = CommitteeName(committee.ParentId),
            FocalAgency = committee.FocalAgencyOn(date) is { } agency
                ? new T.FocalAgency { DisplayName = agency.DisplayName, Organisation = agency.Organisation ?? "" }
                : null,
            FoundingDate = ToProto(committee.FoundingDate),
            FoundingDecision = DecisionName(committee.FoundingDecisionId),
            EndDate = ToProto(committee.EndDate),
            State = (V1.CommitteeState)(int)committee.StateOn(date),
            Successor = CommitteeName(committee.SuccessorId),
            LastConsolidationDecision = DecisionName(committee.LastConsolidationOn(date)?.DecisionId),
            ComplianceStatus = (V1.ComplianceStatus)(int)(compliance ?? 0),
            Version = committee.Version,
            CreateTime = ToTimestamp(committee.CreatedAt),
            UpdateTime = ToTimestamp(committee.UpdatedAt),
            Etag = Etag(committee.Version, committee.UpdatedAt),
        };
        proto.Names.Add(committee.Names.Select(name => new V1.CommitteeName
        {
            DisplayName = name.DisplayName,
            StartDate = ToProto(name.Start),
            EndDate = ToProto(name.End),
            Decision = DecisionName(name.DecisionId),
        }));
        proto.OtherSpellings.Add(committee.OtherSpellings);
        proto.MandateTopics.Add(committee.MandateOn(date).Select(topic => (T.MandateTopic)(int)topic));
        proto.Predecessors.Add(predecessorIds.Select(id => ResourceNames.Committee.Format(id)));
        return proto;
    }

    /// <summary>The membership as of the date: its roles then, and who sits then (ex officio: the post's holder).</summary>
    public static V1.CommitteeMembership ToProto(this Register register, CommitteeMembership membership, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(membership);
        var roles = membership.RolesOn(date);
        var proto = new V1.CommitteeMembership
        {
            Name = membership.ResourceName,
            Person = PersonName(membership.PersonId),
            Post = PostName(membership.PostId),
            PersonDisplayName = register.SeatedPerson(membership.Holder, date)?.DisplayName ?? "",
            PostDisplayName = register.FindPost(membership.PostId)?.DisplayName ?? "",
            OtherRole = roles.OtherRole ?? "",
            StartDate = ToProto(membership.Start),
            EndDate = ToProto(membership.End),
            AppointingDecision = DecisionName(membership.AppointingDecisionId),
            EndingDecision = DecisionName(membership.EndingDecisionId),
            EndReason = membership.EndReason ?? "",
            State = (V1.MembershipState)(int)membership.StateOn(date),
            CreateTime = ToTimestamp(membership.CreatedAt),
            UpdateTime = ToTimestamp(membership.UpdatedAt),
            Etag = Etag(membership.Revision, membership.UpdatedAt),
        };
        proto.Roles.Add(roles.Roles.Select(role => (T.MembershipRole)(int)role));
        return proto;
    }

    /// <summary>The group with its members on the date, or every member it ever had when <paramref name="allMembers"/>.</summary>
    public static V1.WorkingGroup ToProto(this Register register, WorkingGroup group, DateOnly date, bool allMembers)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(group);
        var proto = new V1.WorkingGroup
        {
            Name = group.ResourceName,
            DisplayName = group.DisplayName,
            Purpose = group.Purpose ?? "",
            StartDate = ToProto(group.Start),
            EndDate = ToProto(group.End),
            EstablishingDecision = DecisionName(group.EstablishingDecisionId),
            DissolvingDecision = DecisionName(group.DissolvingDecisionId),
            CreateTime = ToTimestamp(group.CreatedAt),
            UpdateTime = ToTimestamp(group.UpdatedAt),
            Etag = Etag(group.Seats.Count, group.UpdatedAt),
        };
        proto.Members.Add((allMembers ? group.Seats : group.SeatsOn(date))
            .OrderBy(seat => seat.Role).ThenBy(seat => seat.Start)
            .Select(seat => new V1.WorkingGroupMember
            {
                Person = PersonName(seat.PersonId),
                Post = PostName(seat.PostId),
                PersonDisplayName = register.SeatedPerson(seat.Holder, Clamp(date, seat))?.DisplayName ?? "",
                PostDisplayName = register.FindPost(seat.PostId)?.DisplayName ?? "",
                Role = (T.WorkingGroupRole)(int)seat.Role,
                StartDate = ToProto(seat.Start),
                EndDate = ToProto(seat.End),
            }));
        return proto;
    }

    /// <summary>The person; <paramref name="withContact"/> says whether the caller may see the contact details.</summary>
    public static V1.Person ToProto(this Person person, bool withContact)
    {
        ArgumentNullException.ThrowIfNull(person);
        var proto = new V1.Person
        {
            Name = person.ResourceName,
            DisplayName = person.DisplayName,
            Contact = withContact && (person.Email is not null || person.Phone is not null)
                ? new V1.PersonContact { Email = person.Email ?? "", Phone = person.Phone ?? "" }
                : null,
            CreateTime = ToTimestamp(person.CreatedAt),
            UpdateTime = ToTimestamp(person.UpdatedAt),
            Etag = Etag(person.Version, person.UpdatedAt),
        };
        proto.OtherNames.Add(person.OtherNames);
        return proto;
    }

    /// <summary>The post with its holder on the date (the holder's name found by <paramref name="findPerson"/>).</summary>
    public static V1.Post ToProto(this Post post, DateOnly date, Func<string, Person?> findPerson)
    {
        ArgumentNullException.ThrowIfNull(post);
        ArgumentNullException.ThrowIfNull(findPerson);
        var holderId = post.HolderOn(date);
        return new V1.Post
        {
            Name = post.ResourceName,
            DisplayName = post.DisplayName,
            Kind = (V1.PostKind)(int)post.Kind,
            Sector = post.Sector ?? "",
            OrganisationDisplayName = post.OrganisationDisplayName,
            Organisation = post.Organisation,
            Holder = PersonName(holderId),
            HolderDisplayName = holderId is null ? "" : findPerson(holderId)?.DisplayName ?? "",
            CreateTime = ToTimestamp(post.CreatedAt),
            UpdateTime = ToTimestamp(post.UpdatedAt),
            Etag = Etag(post.Version, post.UpdatedAt),
        };
    }

    public static V1.PostHolder ToProto(this PostHolder holder, Post post, Func<string, Person?> findPerson)
    {
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(post);
        ArgumentNullException.ThrowIfNull(findPerson);
        return new V1.PostHolder
        {
            Name = $"{post.ResourceName}/holders/{holder.Number.ToString(CultureInfo.InvariantCulture)}",
            Person = PersonName(holder.PersonId),
            PersonDisplayName = holder.PersonId is null ? "" : findPerson(holder.PersonId)?.DisplayName ?? "",
            StartDate = ToProto(holder.Start),
            EndDate = ToProto(holder.End),
            Decision = DecisionName(holder.DecisionId),
        };
    }

    public static V1.ComplianceRule ToProto(this ComplianceRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var proto = new V1.ComplianceRule
        {
            Name = rule.ResourceName,
            DisplayName = rule.DisplayName,
            Description = rule.Description ?? "",
            SourceDecision = rule.SourceDecision,
            Enabled = rule.Enabled,
            CreateTime = ToTimestamp(rule.CreatedAt),
            UpdateTime = ToTimestamp(rule.UpdatedAt),
            Etag = Etag(rule.Version, rule.UpdatedAt),
        };
        proto.Levels.Add(rule.Levels.Select(level => (T.CommitteeLevel)(int)level));
        switch (rule.Kind)
        {
            case ComplianceRuleKind.ConsolidatedSince:
                proto.ConsolidatedSince = new V1.ConsolidatedSince { Since = ToProto(rule.Since) };
                break;
            case ComplianceRuleKind.ChairHeadsJurisdiction:
                proto.ChairHeadsJurisdiction = new V1.ChairHeadsJurisdiction();
                proto.ChairHeadsJurisdiction.PostKinds.Add(rule.PostKinds.Select(kind => (V1.PostKind)(int)kind));
                break;
            case ComplianceRuleKind.RoleCount:
                proto.RoleCount = new V1.RoleCount
                {
                    Role = (T.MembershipRole)(int)(rule.Role ?? 0),
                    Minimum = rule.Minimum,
                    Maximum = rule.Maximum,
                };
                break;
            case ComplianceRuleKind.AnyRolePresent:
                proto.AnyRolePresent = new V1.AnyRolePresent();
                proto.AnyRolePresent.Roles.Add(rule.Roles.Select(role => (T.MembershipRole)(int)role));
                break;
        }

        return proto;
    }

    public static T.CivilDate? ToProto(CivilDate? date) => date is { } value ? ChangeMapper.ToProto(value) : null;

    public static Google.Type.Date? ToProto(DateOnly? date) =>
        date is { } value ? new Google.Type.Date { Year = value.Year, Month = value.Month, Day = value.Day } : null;

    /// <summary>
    /// An opaque version tag from a counter and the last-change time. The time is cut to microseconds, the precision
    /// PostgreSQL keeps, so a tag computed right after a write equals the one computed from the row read back.
    /// </summary>
    public static string Etag(long counter, DateTime updatedAt)
    {
        var micros = updatedAt.Ticks / (TimeSpan.TicksPerMillisecond / 1000);
        var text = string.Create(CultureInfo.InvariantCulture, $"{counter}:{micros}");
        return Convert.ToHexStringLower(XxHash64.Hash(Encoding.ASCII.GetBytes(text)));
    }

    private static Timestamp? ToTimestamp(DateTime time) =>
        time == default ? null : Timestamp.FromDateTime(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    /// <summary>Who sat in an ended seat is who sat on its last day, not on a later as-of date.</summary>
    private static DateOnly Clamp(DateOnly date, ITimeBound seat) =>
        seat.End is { } end && end.FirstDay <= date ? end.FirstDay.AddDays(-1)
        : date < seat.Start.FirstDay ? seat.Start.FirstDay
        : date;

    private static string CommitteeName(string? id) => id is null ? "" : "committees/" + id;

    private static string DecisionName(string? id) => id is null ? "" : "decisions/" + id;

    private static string PersonName(string? id) => id is null ? "" : "people/" + id;

    private static string PostName(string? id) => id is null ? "" : "posts/" + id;
}
