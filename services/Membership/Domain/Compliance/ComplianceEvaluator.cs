using System.Globalization;

namespace Egov.Steering.Membership.Domain.Compliance;

/// <summary>One rule's outcome for a committee, with the reason in plain words.</summary>
public sealed record ComplianceFinding(string RuleId, ComplianceStatus Status, string Explanation);

/// <summary>NOT_COMPLIANT if any finding is, else UNKNOWN if any is, else COMPLIANT.</summary>
public sealed record CommitteeCompliance(ComplianceStatus Status, IReadOnlyList<ComplianceFinding> Findings)
{
    /// <summary>Whether any rule was in force for the committee on the date (none before the rules' sources).</summary>
    public bool Assessed => Findings.Count > 0;

    public IEnumerable<ComplianceFinding> UnmetOrUndecidable => Findings.Where(f => f.Status != ComplianceStatus.Compliant);
}

/// <summary>Evaluates the rules that apply to a committee as of a date.</summary>
public static class ComplianceEvaluator
{
    public static CommitteeCompliance Evaluate(Register register, Committee committee, IEnumerable<ComplianceRule> rules, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(committee);
        var asOf = register.AsOf(committee, date);
        var findings = rules.Where(rule => rule.AppliesTo(committee, date))
            .OrderBy(rule => rule.Id, StringComparer.Ordinal)
            .Select(rule => Evaluate(register, asOf, rule))
            .ToList();
        var status = findings.Any(f => f.Status == ComplianceStatus.NotCompliant) ? ComplianceStatus.NotCompliant
            : findings.Any(f => f.Status == ComplianceStatus.Unknown) ? ComplianceStatus.Unknown
            : ComplianceStatus.Compliant;
        return new CommitteeCompliance(status, findings);
    }

    private static ComplianceFinding Evaluate(Register register, CommitteeAsOf committee, ComplianceRule rule)
    {
        var (status, explanation) = rule.Kind switch
        {
            ComplianceRuleKind.ConsolidatedSince => ConsolidatedSince(committee, rule, rule.Since ?? DateOnly.MinValue),
            // A committee always has members: none recorded means its roster is not known (a decision recorded from a
            // news report that names no one), so the rules about the roster cannot decide.
            _ when committee.Seats.Count == 0 => (ComplianceStatus.Unknown, "Sổ đăng ký chưa ghi thành viên nào của ban: không xác định được"),
            ComplianceRuleKind.ChairHeadsJurisdiction => ChairHeadsJurisdiction(register, committee, rule.PostKinds),
            ComplianceRuleKind.RoleCount => RoleCount(committee, rule.Role ?? MembershipRole.Chair, rule.Minimum, rule.Maximum),
            ComplianceRuleKind.AnyRolePresent => AnyRolePresent(committee, rule.Roles),
            _ => (ComplianceStatus.Unknown, $"Loại quy tắc {rule.Kind} chưa được hỗ trợ / unsupported rule kind"),
        };
        return new ComplianceFinding(rule.Id, status, explanation);
    }

    /// <summary>
    /// Met by a consolidation whose first possible day is on or after the date, or by a decision whose legal basis cites
    /// the rule's source decision (it acts on it, so it responds to it whatever its date is known to); undecidable when a
    /// consolidation known only to the year or month may fall on either side ("2020" for 2020-05-26).
    /// </summary>
    private static (ComplianceStatus, string) ConsolidatedSince(CommitteeAsOf committee, ComplianceRule rule, DateOnly since)
    {
        var sinceText = since.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        var inForce = committee.Committee.Decisions
            .Where(d => d.EffectiveDate.FirstDay <= committee.Date && (d.RevokedFrom is not { } revoked || committee.Date < revoked.FirstDay))
            .ToList();
        if (inForce.Find(d => d.LegalBasis.Any(rule.CitedBy)) is { } implementing)
        {
            return (ComplianceStatus.Compliant, $"Quyết định {implementing.Number ?? implementing.DecisionId} ({implementing.EffectiveDate}) có căn cứ Quyết định {rule.SourceDecision}");
        }

        var consolidations = inForce.Where(d => d.Kinds.Contains(DecisionKind.Consolidate)).ToList();
        if (consolidations.Find(d => d.EffectiveDate.FirstDay >= since) is { } met)
        {
            return (ComplianceStatus.Compliant, $"Đã kiện toàn theo Quyết định {met.Number ?? met.DecisionId} ({met.EffectiveDate})");
        }

        if (consolidations.Find(d => d.EffectiveDate.LastDay >= since) is { } imprecise)
        {
            return (ComplianceStatus.Unknown, $"Quyết định kiện toàn {imprecise.Number ?? imprecise.DecisionId} chỉ biết ngày {imprecise.EffectiveDate}: không xác định được có sau ngày {sinceText} hay không");
        }

        return (ComplianceStatus.NotCompliant, $"Chưa có quyết định kiện toàn từ ngày {sinceText}");
    }

    private static (ComplianceStatus, string) ChairHeadsJurisdiction(Register register, CommitteeAsOf committee, IReadOnlyCollection<PostKind> kinds)
    {
        var jurisdiction = committee.Committee.Jurisdiction;
        bool Heads(Post post) => kinds.Contains(post.Kind) && post.Organisation == jurisdiction;
        if (committee.Chair is not { } chair)
        {
            return (ComplianceStatus.NotCompliant, "Chưa có Trưởng ban");
        }

        if (chair.Post is { } post)
        {
            return Heads(post)
                ? (ComplianceStatus.Compliant, $"Trưởng ban là {post.DisplayName}")
                : (ComplianceStatus.NotCompliant, $"Trưởng ban giữ chức {post.DisplayName}, không phải người đứng đầu {jurisdiction}");
        }

        // A chair named without a post: met if the register knows they head the jurisdiction then, else undecidable.
        var held = register.Posts.FirstOrDefault(p => Heads(p) && p.HolderOn(committee.Date) == chair.Membership.PersonId);
        return held is not null
            ? (ComplianceStatus.Compliant, $"Trưởng ban {chair.Person?.DisplayName} giữ chức {held.DisplayName}")
            : (ComplianceStatus.Unknown, $"Trưởng ban {chair.Person?.DisplayName} được ghi theo tên, không rõ chức vụ");
    }

    private static (ComplianceStatus, string) RoleCount(CommitteeAsOf committee, MembershipRole role, int minimum, int maximum)
    {
        var count = committee.Seats.Count(s => s.Roles.Contains(role));
        var met = count >= minimum && (maximum == 0 || count <= maximum);
        return (met ? ComplianceStatus.Compliant : ComplianceStatus.NotCompliant,
            string.Create(CultureInfo.InvariantCulture, $"{count} thành viên giữ vai trò {role} (yêu cầu {minimum}..{(maximum == 0 ? "∞" : maximum)})"));
    }

    private static (ComplianceStatus, string) AnyRolePresent(CommitteeAsOf committee, IReadOnlyCollection<MembershipRole> roles) =>
        committee.Seats.Any(s => roles.Any(s.Roles.Contains))
            ? (ComplianceStatus.Compliant, $"Có thành viên giữ vai trò {string.Join(" / ", roles)}")
            : (ComplianceStatus.NotCompliant, $"Không có thành viên giữ vai trò {string.Join(" / ", roles)}");
}
