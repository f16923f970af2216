using System.Globalization;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Compliance;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.ServiceDefaults.Errors;
using T = Egov.Steering.Types.V1;
using V1 = Egov.Steering.Membership.V1;

namespace Egov.Steering.Membership.Grpc;

/// <summary>
/// People, posts and compliance rules in their contract form (committees, memberships and working groups are
/// <see cref="ContractMapper"/>'s, shared with the views and events). Contact details of people are included only
/// when the caller may see them.
/// </summary>
public static class ProtoMapping
{
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
            CreateTime = ContractMapper.Timestamp(person.CreatedAt),
            UpdateTime = ContractMapper.Timestamp(person.UpdatedAt),
            Etag = EntityTag.Of(person.Version),
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
            CreateTime = ContractMapper.Timestamp(post.CreatedAt),
            UpdateTime = ContractMapper.Timestamp(post.UpdatedAt),
            Etag = EntityTag.Of(post.Revision),
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
            StartDate = ContractMapper.ToProto(holder.Start),
            EndDate = ContractMapper.ToProto(holder.End),
            Decision = ContractMapper.DecisionName(holder.DecisionId),
            HolderNotRecorded = holder.HolderNotRecorded,
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
            Source = rule.Source ?? "",
            InForceFrom = rule.InForceFrom is { } from ? ContractMapper.ToDate(from) : null,
            Enabled = rule.Enabled,
            CreateTime = ContractMapper.Timestamp(rule.CreatedAt),
            UpdateTime = ContractMapper.Timestamp(rule.UpdatedAt),
            Etag = EntityTag.Of(rule.Version),
        };
        proto.Levels.Add(rule.Levels.Select(level => (T.CommitteeLevel)(int)level));
        switch (rule.Kind)
        {
            case ComplianceRuleKind.ConsolidatedSince:
                proto.ConsolidatedSince = new V1.ConsolidatedSince { Since = rule.Since is { } since ? ContractMapper.ToDate(since) : null };
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

    private static string PersonName(string? id) => id is null ? "" : "people/" + id;
}
