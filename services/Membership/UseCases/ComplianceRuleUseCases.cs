using Egov.Steering.Membership.Compliance;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain.Compliance;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Membership.UseCases;

/// <summary>The rules committees are checked against (admins only write them); every write re-evaluates every committee.</summary>
public sealed class ComplianceRuleUseCases(MembershipDbContext db, RegisterAccess access, ComplianceRecalculator compliance)
{
    /// <summary>The mask paths that name the rule's condition: one condition at a time.</summary>
    public static readonly IReadOnlySet<string> ConditionPaths =
        new HashSet<string>(["consolidated_since", "chair_heads_jurisdiction", "role_count", "any_role_present"], StringComparer.Ordinal);

    public async Task<IReadOnlyList<ComplianceRule>> ListAsync(bool showDisabled, CancellationToken cancellationToken) =>
        await db.ComplianceRules.AsNoTracking().Where(r => showDisabled || r.Enabled).ToListAsync(cancellationToken);

    public async Task<ComplianceRule> GetAsync(string id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) ?? throw new ResourceNotFoundException(ResourceNames.ComplianceRule.Format(id));

    public async Task<ComplianceRule> CreateAsync(ComplianceRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (await db.ComplianceRules.AnyAsync(r => r.Id == rule.Id, cancellationToken))
        {
            throw new ResourceAlreadyExistsException(rule.ResourceName);
        }

        db.ComplianceRules.Add(rule);
        await access.SaveCreatedAsync(rule.ResourceName, token => db.ComplianceRules.AnyAsync(r => r.Id == rule.Id, token), cancellationToken);
        await compliance.RecomputeAllAsync(cancellationToken);
        return rule;
    }

    /// <summary>Sets the fields the mask names to those of <see cref="Update{TValues}.Values"/>, a rule holding them.</summary>
    public async Task<ComplianceRule> UpdateAsync(string id, Update<ComplianceRule> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var rule = update.Open(await FindAsync(id, cancellationToken), ResourceNames.ComplianceRule.Format(id), r => r.Version, static _ => { });
        update.Set("display_name", values => rule.DisplayName = values.DisplayName);
        update.Set("description", values => rule.Description = values.Description);
        update.Set("source_decision", values => rule.SourceDecision = values.SourceDecision);
        update.Set("source", values => rule.Source = values.Source);
        update.Set("in_force_from", values => rule.InForceFrom = values.InForceFrom);
        update.Set("levels", values => rule.Levels = [.. values.Levels]);
        update.Set("enabled", values => rule.Enabled = values.Enabled);
        if (update.Paths.Overlaps(ConditionPaths))
        {
            var values = update.Values;
            (rule.Kind, rule.Since, rule.PostKinds, rule.Role, rule.Minimum, rule.Maximum, rule.Roles) =
                (values.Kind, values.Since, [.. values.PostKinds], values.Role, values.Minimum, values.Maximum, [.. values.Roles]);
        }

        rule.Touch();
        await db.SaveChangesAsync(cancellationToken);
        await compliance.RecomputeAllAsync(cancellationToken);
        return rule;
    }

    private Task<ComplianceRule?> FindAsync(string id, CancellationToken cancellationToken) =>
        db.ComplianceRules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
}
