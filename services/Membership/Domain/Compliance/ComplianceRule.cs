using Egov.Steering.Text;

namespace Egov.Steering.Membership.Domain.Compliance;

public enum ComplianceRuleKind
{
    /// <summary>A CONSOLIDATE decision effective on or after <see cref="ComplianceRule.Since"/>.</summary>
    ConsolidatedSince = 1,

    /// <summary>The chair holds a post of one of <see cref="ComplianceRule.PostKinds"/> in the committee's jurisdiction.</summary>
    ChairHeadsJurisdiction = 2,

    /// <summary>Between <see cref="ComplianceRule.Minimum"/> and <see cref="ComplianceRule.Maximum"/> (0: no maximum) memberships hold <see cref="ComplianceRule.Role"/>.</summary>
    RoleCount = 3,

    /// <summary>At least one membership holds one of <see cref="ComplianceRule.Roles"/>.</summary>
    AnyRolePresent = 4,
}

/// <summary>
/// A compliance rule kept as data: a kind with its parameters, the committee levels it applies to and the decision it
/// comes from. Seeded from Data/compliance-rules.yaml, then listable and changeable by admins.
/// </summary>
public sealed class ComplianceRule
{
    private ComplianceRule()
    {
    }

    public ComplianceRule(string id, string displayName, string sourceDecision, ComplianceRuleKind kind, IEnumerable<CommitteeLevel> levels)
    {
        Id = id;
        DisplayName = displayName;
        SourceDecision = sourceDecision;
        Kind = kind;
        Levels = [.. levels];
    }

    /// <summary>The last segment of "complianceRules/{id}".</summary>
    public string Id { get; private set; } = null!;

    public string DisplayName { get; set; } = null!;

    public string? Description { get; set; }

    /// <summary>The decision the rule comes from, as cited, e.g. "701/QĐ-TTg".</summary>
    public string SourceDecision { get; set; } = null!;

    /// <summary>
    /// The text the rule comes from: the document and the passage that states it. A rule without one is not
    /// evaluated (the register asserts no requirement that no source states).
    /// </summary>
    public string? Source { get; set; }

    /// <summary>The first day the requirement stands (its source's date); before it the rule is not evaluated.</summary>
    public DateOnly? InForceFrom { get; set; }

    public List<CommitteeLevel> Levels { get; set; } = [];

    public bool Enabled { get; set; } = true;

    public ComplianceRuleKind Kind { get; set; }

    public DateOnly? Since { get; set; }

    public List<PostKind> PostKinds { get; set; } = [];

    public MembershipRole? Role { get; set; }

    public int Minimum { get; set; }

    public int Maximum { get; set; }

    public List<MembershipRole> Roles { get; set; } = [];

    /// <summary>Concurrency token and etag.</summary>
    public long Version { get; private set; }

    public DateTime CreatedAt { get; internal set; }

    public DateTime UpdatedAt { get; internal set; }

    public string ResourceName => "complianceRules/" + Id;

    public long Touch() => ++Version;

    /// <summary>Whether the rule is evaluated for the committee as of the date: enabled, cited, in force, of its level.</summary>
    public bool AppliesTo(Committee committee, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(committee);
        return Enabled && !string.IsNullOrWhiteSpace(Source) && (InForceFrom is not { } from || from <= date) && Levels.Contains(committee.Level);
    }

    /// <summary>
    /// Whether a legal-basis citation names the rule's source decision (e.g. "Quyết định 701/QĐ-TTg ngày 26/5/2020"):
    /// compared folded, as decision numbers are ("701/QD-TTg" cites it too), and as a whole number ("1701/QĐ-TTg" does not).
    /// </summary>
    public bool CitedBy(string citation)
    {
        var number = VietnameseText.Fold(SourceDecision);
        var text = VietnameseText.Fold(citation ?? "");
        for (var at = number.Length == 0 ? -1 : text.IndexOf(number, StringComparison.Ordinal); at >= 0; at = text.IndexOf(number, at + 1, StringComparison.Ordinal))
        {
            var end = at + number.Length;
            if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end])))
            {
                return true;
            }
        }

        return false;
    }
}
