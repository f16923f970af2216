using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Compliance;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Egov.Steering.Membership.Data;

/// <summary>Reads the versioned rules file embedded from Data/compliance-rules.yaml.</summary>
public static class ComplianceRulesFile
{
    public const string ResourceName = "compliance-rules.yaml";

    /// <summary>The rules of the embedded file.</summary>
    public static IReadOnlyList<ComplianceRule> Load()
    {
        using var stream = typeof(ComplianceRulesFile).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded {ResourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    public static IReadOnlyList<ComplianceRule> Parse(string yaml)
    {
        var file = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .Build()
            .Deserialize<RulesFile>(yaml);
        return [.. file.Rules.Select(ToRule)];
    }

    private static ComplianceRule ToRule(RuleEntry entry)
    {
        var conditions = new object?[] { entry.ConsolidatedSince, entry.ChairHeadsJurisdiction, entry.RoleCount, entry.AnyRolePresent };
        if (conditions.Count(c => c is not null) != 1)
        {
            throw new InvalidOperationException($"compliance rule '{entry.Id}' must have exactly one condition");
        }

        var kind = entry switch
        {
            { ConsolidatedSince: not null } => ComplianceRuleKind.ConsolidatedSince,
            { ChairHeadsJurisdiction: not null } => ComplianceRuleKind.ChairHeadsJurisdiction,
            { RoleCount: not null } => ComplianceRuleKind.RoleCount,
            _ => ComplianceRuleKind.AnyRolePresent,
        };
        return new ComplianceRule(entry.Id, entry.DisplayName, entry.SourceDecision, kind, entry.Levels.Select(ParseEnum<CommitteeLevel>))
        {
            Description = entry.Description,
            Source = string.IsNullOrWhiteSpace(entry.Source) ? null : entry.Source.Trim(),
            InForceFrom = entry.InForceFrom is { } from ? DateOnly.ParseExact(from, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
            Enabled = entry.Enabled,
            Since = entry.ConsolidatedSince?.Since is { } since ? DateOnly.ParseExact(since, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
            PostKinds = [.. (entry.ChairHeadsJurisdiction?.PostKinds ?? []).Select(ParseEnum<PostKind>)],
            Role = entry.RoleCount?.Role is { } role ? ParseEnum<MembershipRole>(role) : null,
            Minimum = entry.RoleCount?.Minimum ?? 0,
            Maximum = entry.RoleCount?.Maximum ?? 0,
            Roles = [.. (entry.AnyRolePresent?.Roles ?? []).Select(ParseEnum<MembershipRole>)],
        };
    }

    /// <summary>"HEAD_OF_AGENCY" → PostKind.HeadOfAgency; an unknown name fails the load.</summary>
    private static T ParseEnum<T>(string name)
        where T : struct, Enum =>
        Enum.TryParse<T>(name.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidOperationException($"'{name}' is not a {typeof(T).Name} in {ResourceName}");

    private sealed class RulesFile
    {
        public int Version { get; set; }

        public List<RuleEntry> Rules { get; set; } = [];
    }

    private sealed class RuleEntry
    {
        public string Id { get; set; } = "";

        public string DisplayName { get; set; } = "";

        public string? Description { get; set; }

        public string SourceDecision { get; set; } = "";

        public string? Source { get; set; }

        public string? InForceFrom { get; set; }

        public List<string> Levels { get; set; } = [];

        public bool Enabled { get; set; } = true;

        public SinceEntry? ConsolidatedSince { get; set; }

        public PostKindsEntry? ChairHeadsJurisdiction { get; set; }

        public RoleCountEntry? RoleCount { get; set; }

        public RolesEntry? AnyRolePresent { get; set; }
    }

    private sealed class SinceEntry
    {
        public string? Since { get; set; }
    }

    private sealed class PostKindsEntry
    {
        public List<string> PostKinds { get; set; } = [];
    }

    private sealed class RoleCountEntry
    {
        public string? Role { get; set; }

        public int Minimum { get; set; }

        public int Maximum { get; set; }
    }

    private sealed class RolesEntry
    {
        public List<string> Roles { get; set; } = [];
    }
}
