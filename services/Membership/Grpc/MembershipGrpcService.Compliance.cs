using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Compliance;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.Membership.UseCases;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Validation;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using T = Egov.Steering.Types.V1;
using V1 = Egov.Steering.Membership.V1;

namespace Egov.Steering.Membership.Grpc;

public sealed partial class MembershipGrpcService
{
    private const int MaxSourceLength = 2000;

    private static readonly string[] RuleFields =
    [
        "display_name", "description", "source_decision", "source", "in_force_from", "levels", "enabled",
        "consolidated_since", "chair_heads_jurisdiction", "role_count", "any_role_present",
    ];

    public override async Task<V1.ListComplianceRulesResponse> ListComplianceRules(V1.ListComplianceRulesRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var pageSize = validator.PageSize(request.PageSize);
        validator.ThrowIfInvalid();

        var rules = await useCases.ComplianceRules.ListAsync(request.ShowDisabled, context.CancellationToken);
        var (page, next) = Requests.Page(rules, r => [r.Id], request, request.PageToken, pageSize);
        var response = new V1.ListComplianceRulesResponse { NextPageToken = next };
        response.ComplianceRules.Add(page.Select(r => r.ToProto()));
        return response;
    }

    public override async Task<V1.ComplianceRule> GetComplianceRule(V1.GetComplianceRuleRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var id = validator.Id("name", request.Name, ResourceNames.ComplianceRule);
        validator.ThrowIfInvalid();
        return (await useCases.ComplianceRules.GetAsync(id!, context.CancellationToken)).ToProto();
    }

    [Authorize(Policy = SteeringPolicies.Admin)]
    public override async Task<V1.ComplianceRule> CreateComplianceRule(V1.CreateComplianceRuleRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var id = validator.Required("compliance_rule_id", request.ComplianceRuleId) ? validator.NewId("compliance_rule_id", request.ComplianceRuleId) : null;
        validator.Required("compliance_rule", request.ComplianceRule);
        var input = request.ComplianceRule ?? new V1.ComplianceRule();
        var rule = new ComplianceRule(id ?? "", "", "", ComplianceRuleKind.RoleCount, []);
        ApplyRuleFields(validator, input, rule, RuleFields.ToHashSet(StringComparer.Ordinal), creating: true);
        validator.ThrowIfInvalid();

        return await WriteAsync(request, request.RequestId, context, r => r.Name, async cancellationToken =>
            (await useCases.ComplianceRules.CreateAsync(rule, cancellationToken)).ToProto());
    }

    [Authorize(Policy = SteeringPolicies.Admin)]
    public override async Task<V1.ComplianceRule> UpdateComplianceRule(V1.UpdateComplianceRuleRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var (input, id, paths) = validator.UpdateTarget(
            "compliance_rule", request.ComplianceRule, r => r.Name, ResourceNames.ComplianceRule, request.UpdateMask, RuleFields);
        var values = new ComplianceRule(id ?? "", "", "", ComplianceRuleKind.RoleCount, []);
        if (validator.IsValid)
        {
            ApplyRuleFields(validator, input, values, paths, creating: false);
        }

        validator.ThrowIfInvalid();

        var update = new Update<ComplianceRule>(input.Etag, paths, values);
        return await WriteAsync(request, request.RequestId, context, input.Name, async cancellationToken =>
            (await useCases.ComplianceRules.UpdateAsync(id!, update, cancellationToken)).ToProto());
    }

    /// <summary>
    /// Checks the masked fields of <paramref name="input"/> and sets them on <paramref name="rule"/>. A condition path
    /// replaces the rule's condition with that one, which must then be the one set in the request.
    /// </summary>
    private static void ApplyRuleFields(RequestValidator validator, V1.ComplianceRule input, ComplianceRule rule, IReadOnlySet<string> paths, bool creating)
    {
        const string prefix = "compliance_rule.";
        if (paths.Contains("display_name"))
        {
            rule.DisplayName = validator.Text(prefix + "display_name", input.DisplayName, TextLimits.Name);
        }

        if (paths.Contains("description"))
        {
            rule.Description = NullIfEmpty(validator.Text(prefix + "description", input.Description, TextLimits.Description, required: false, allowLineBreaks: true));
        }

        if (paths.Contains("source_decision"))
        {
            rule.SourceDecision = validator.Text(prefix + "source_decision", input.SourceDecision, 100);
        }

        if (paths.Contains("source"))
        {
            rule.Source = NullIfEmpty(validator.Text(prefix + "source", input.Source, MaxSourceLength, required: false, allowLineBreaks: true));
        }

        if (paths.Contains("in_force_from"))
        {
            rule.InForceFrom = input.InForceFrom is null ? null : validator.Date(prefix + "in_force_from", input.InForceFrom);
        }

        if (paths.Contains("levels"))
        {
            rule.Levels = validator.Enums<T.CommitteeLevel, CommitteeLevel>(prefix + "levels", input.Levels);
            if (rule.Levels.Count == 0 && validator.IsValid)
            {
                validator.Add(prefix + "levels", "at least one level is required");
            }
        }

        if (paths.Contains("enabled"))
        {
            rule.Enabled = input.Enabled;
        }

        var conditionPaths = paths.Where(ComplianceRuleUseCases.ConditionPaths.Contains).ToList();
        var set = input.ConditionCase switch
        {
            V1.ComplianceRule.ConditionOneofCase.ConsolidatedSince => "consolidated_since",
            V1.ComplianceRule.ConditionOneofCase.ChairHeadsJurisdiction => "chair_heads_jurisdiction",
            V1.ComplianceRule.ConditionOneofCase.RoleCount => "role_count",
            V1.ComplianceRule.ConditionOneofCase.AnyRolePresent => "any_role_present",
            _ => null,
        };
        if (creating ? set is null : conditionPaths.Count > 0 && (conditionPaths.Count > 1 || conditionPaths[0] != set))
        {
            validator.Add(prefix + "condition", creating
                ? "exactly one condition is required: consolidated_since, chair_heads_jurisdiction, role_count or any_role_present"
                : "the masked condition must be the one set in the rule (one condition at a time)");
            return;
        }

        if (creating || conditionPaths.Count == 1)
        {
            ApplyCondition(validator, input, rule, prefix + set);
        }
    }

    private static void ApplyCondition(RequestValidator validator, V1.ComplianceRule input, ComplianceRule rule, string field)
    {
        (rule.Since, rule.PostKinds, rule.Role, rule.Minimum, rule.Maximum, rule.Roles) = (null, [], null, 0, 0, []);
        switch (input.ConditionCase)
        {
            case V1.ComplianceRule.ConditionOneofCase.ConsolidatedSince:
                rule.Kind = ComplianceRuleKind.ConsolidatedSince;
                rule.Since = validator.Date(field + ".since", input.ConsolidatedSince.Since);
                break;
            case V1.ComplianceRule.ConditionOneofCase.ChairHeadsJurisdiction:
                rule.Kind = ComplianceRuleKind.ChairHeadsJurisdiction;
                rule.PostKinds = validator.Enums<V1.PostKind, PostKind>(field + ".post_kinds", input.ChairHeadsJurisdiction.PostKinds);
                if (rule.PostKinds.Count == 0 && validator.IsValid)
                {
                    validator.Add(field + ".post_kinds", "at least one post kind is required");
                }

                break;
            case V1.ComplianceRule.ConditionOneofCase.RoleCount:
                rule.Kind = ComplianceRuleKind.RoleCount;
                var count = input.RoleCount;
                rule.Role = (MembershipRole)(int)validator.Enum(field + ".role", count.Role);
                (rule.Minimum, rule.Maximum) = (count.Minimum, count.Maximum);
                if (count.Minimum < 0 || count.Maximum < 0 || (count.Maximum > 0 && count.Maximum < count.Minimum))
                {
                    validator.Add(field, "minimum and maximum must not be negative, and maximum (0: none) not below minimum");
                }

                break;
            case V1.ComplianceRule.ConditionOneofCase.AnyRolePresent:
                rule.Kind = ComplianceRuleKind.AnyRolePresent;
                rule.Roles = validator.Enums<T.MembershipRole, MembershipRole>(field + ".roles", input.AnyRolePresent.Roles);
                if (rule.Roles.Count == 0 && validator.IsValid)
                {
                    validator.Add(field + ".roles", "at least one role is required");
                }

                break;
        }
    }
}
