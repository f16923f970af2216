using Egov.Steering.Membership.V1;
using Egov.Steering.Types.V1;
using Spectre.Console;

namespace Egov.Steering.Cli.Remote;

/// <summary>How the contracts' values read in a table.</summary>
public static class Labels
{
    /// <summary>"committees/gia-lai-2020-e-government" → "gia-lai-2020-e-government": what the commands accept.</summary>
    public static string Id(string resourceName) => resourceName[(resourceName.IndexOf('/', StringComparison.Ordinal) + 1)..];

    public static string Level(CommitteeLevel level) => level switch
    {
        CommitteeLevel.National => "national",
        CommitteeLevel.Ministry => "ministry",
        CommitteeLevel.Province => "province",
        _ => "-",
    };

    /// <summary>The inverse of <see cref="Level(CommitteeLevel)"/> for the words <see cref="RemoteOptions.LevelsOption"/> accepts.</summary>
    public static CommitteeLevel ParseLevel(string level) => level switch
    {
        "national" => CommitteeLevel.National,
        "ministry" => CommitteeLevel.Ministry,
        _ => CommitteeLevel.Province,
    };

    public static string Roles(CommitteeMembership membership) => string.Join(", ", membership.Roles.Select(role => role switch
    {
        MembershipRole.Chair => "chair",
        MembershipRole.StandingViceChair => "standing vice chair",
        MembershipRole.ViceChair => "vice chair",
        MembershipRole.StandingMember => "standing member",
        MembershipRole.Secretary => "secretary",
        MembershipRole.Member => "member",
        MembershipRole.Other => membership.OtherRole,
        _ => "-",
    }));

    /// <summary>Markup: coloured at a terminal, plain words elsewhere.</summary>
    public static string Compliance(ComplianceStatus status) => status switch
    {
        ComplianceStatus.Compliant => "[green]compliant[/]",
        ComplianceStatus.NotCompliant => "[red]not compliant[/]",
        ComplianceStatus.Unknown => "[yellow]unknown[/]",
        _ => "-",
    };

    /// <summary>A date with the precision it is known to: 2020, 2020-06 or 2020-06-20.</summary>
    public static string Date(CivilDate? date) => date?.Precision switch
    {
        DatePrecision.Year => $"{date.Year:D4}",
        DatePrecision.Month => $"{date.Year:D4}-{date.Month:D2}",
        DatePrecision.Day => $"{date.Year:D4}-{date.Month:D2}-{date.Day:D2}",
        _ => "-",
    };

    public static string Date(Google.Type.Date? date) => date is null ? "today" : $"{date.Year:D4}-{date.Month:D2}-{date.Day:D2}";

    /// <summary>Escaped text, "-" when empty (a table cell never looks like a rendering fault).</summary>
    public static string Text(string? text) => string.IsNullOrEmpty(text) ? "-" : Markup.Escape(text);
}
