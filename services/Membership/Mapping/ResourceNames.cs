using Egov.Steering.ServiceDefaults.Validation;

namespace Egov.Steering.Membership.Mapping;

/// <summary>The resource name patterns Membership reads and writes.</summary>
public static class ResourceNames
{
    public static readonly ResourceNameTemplate Committee = new("committees/{committee}");
    public static readonly ResourceNameTemplate Membership = new("committees/{committee}/memberships/{membership}");
    public static readonly ResourceNameTemplate WorkingGroup = new("committees/{committee}/workingGroups/{working_group}");
    public static readonly ResourceNameTemplate Person = new("people/{person}");
    public static readonly ResourceNameTemplate Post = new("posts/{post}");
    public static readonly ResourceNameTemplate Decision = new("decisions/{decision}");
    public static readonly ResourceNameTemplate ComplianceRule = new("complianceRules/{compliance_rule}");
}
