using System.Globalization;

namespace Egov.Steering.ReferenceData;

public enum OrganisationKind
{
    National,
    Province,
    Ministry,
}

/// <summary>An organisation a caller acts for (the token's <c>org</c> claim) and that owns committees.</summary>
public sealed record Organisation(string Code, OrganisationKind Kind, string Name)
{
    public override string ToString() => $"{Code} ({Name})";
}

/// <summary>
/// The stable organisation codes: <c>national</c> (the admin organisation), <c>province-&lt;era&gt;-&lt;code&gt;</c>
/// and <c>ministry-&lt;abbr&gt;</c>. They also name the jurisdiction in event routing keys, so they never change.
/// </summary>
public static class Organisations
{
    /// <summary>The national level; the admin organisation.</summary>
    public const string National = "national";

    private static readonly Lazy<IReadOnlyDictionary<string, Organisation>> ByCode = new(Load);

    /// <summary>Every known organisation.</summary>
    public static IEnumerable<Organisation> All => ByCode.Value.Values;

    public static bool IsKnown(string? code) => code is not null && ByCode.Value.ContainsKey(code);

    /// <summary>The organisation with this code, or null when the code is unknown.</summary>
    public static Organisation? Describe(string? code) =>
        code is not null && ByCode.Value.TryGetValue(code, out var organisation) ? organisation : null;

    /// <summary>The code of a provincial-level unit, e.g. <c>province-2020-64</c> for the Gia Lai of 2008..2025-06-30.</summary>
    public static string ProvinceCode(ProvinceEra era, string code) =>
        string.Create(CultureInfo.InvariantCulture, $"province-{(int)era}-{code}");

    private static IReadOnlyDictionary<string, Organisation> Load()
    {
        var organisations = new[] { new Organisation(National, OrganisationKind.National, "Cấp quốc gia") }
            .Concat(Provinces.Era2020.Concat(Provinces.Era2025).Select(province => new Organisation(
                province.OrganisationCode,
                OrganisationKind.Province,
                string.Create(CultureInfo.InvariantCulture, $"{province.FullName} ({(int)province.Era})"))))
            .Concat(Ministries.All.Select(ministry => new Organisation(ministry.Code, OrganisationKind.Ministry, ministry.Name)));
        return organisations.ToDictionary(organisation => organisation.Code, StringComparer.Ordinal);
    }
}
