namespace Egov.Steering.ReferenceData;

/// <summary>
/// Which list of provincial-level units a code belongs to: the same 2-digit code names different units in
/// different eras (52 was Bình Định until 2025-06-30 and is the new Gia Lai from 2025-07-01).
/// </summary>
public enum ProvinceEra
{
    /// <summary>The 63 units in force from 2008 to 2025-06-30.</summary>
    Era2020 = 2020,

    /// <summary>The 34 units in force from 2025-07-01 (Resolution 202/2025/QH15).</summary>
    Era2025 = 2025,
}

public enum ProvinceType
{
    /// <summary>Tỉnh.</summary>
    Province,

    /// <summary>Thành phố trực thuộc trung ương.</summary>
    CentralCity,
}

/// <summary>A geographic region (2020 list only; 8 geographic regions).</summary>
public sealed record ProvinceRegion(int Id, string Name, string EnglishName);

/// <summary>A provincial-level unit of one era.</summary>
/// <param name="Code">The official 2-digit code, e.g. "64".</param>
/// <param name="Name">Short Vietnamese name in NFC, e.g. "Gia Lai".</param>
/// <param name="FullName">Full Vietnamese name in NFC, e.g. "Tỉnh Gia Lai".</param>
/// <param name="AsciiName">The name without diacritics, e.g. "Gia Lai".</param>
/// <param name="Region">The geographic region (2020 units only).</param>
/// <param name="MergedFromCodes">The 2020 codes merged into a 2025 unit (itself included when it kept its code); empty for 2020 units.</param>
public sealed record Province(
    ProvinceEra Era,
    string Code,
    string Name,
    string FullName,
    string AsciiName,
    ProvinceType Type,
    ProvinceRegion? Region,
    IReadOnlyList<string> MergedFromCodes)
{
    /// <summary>The organisation code callers of this unit carry in their token, e.g. "province-2020-64".</summary>
    public string OrganisationCode => Organisations.ProvinceCode(Era, Code);
}

/// <summary>The provincial-level units of 2020 and 2025 and how the first were merged into the second.</summary>
public static class Provinces
{
    private static readonly Lazy<IReadOnlyList<Province>> Loaded2020 = new(() => ReferenceFiles.ReadRows(
        ReferenceFiles.Provinces2020,
        csv => new Province(
            ProvinceEra.Era2020,
            csv.Text("code"),
            csv.Text("name_vi"),
            csv.Text("full_name_vi"),
            csv.Text("name_ascii"),
            ParseType(csv.Text("type")),
            new ProvinceRegion(csv.GetField<int>("region_id"), csv.Text("region_vi"), csv.Text("region_en")),
            [])));

    private static readonly Lazy<IReadOnlyList<Province>> Loaded2025 = new(() => ReferenceFiles.ReadRows(
        ReferenceFiles.Provinces2025,
        csv => new Province(
            ProvinceEra.Era2025,
            csv.Text("code"),
            csv.Text("name_vi"),
            csv.Text("full_name_vi"),
            csv.Text("name_ascii"),
            ParseType(csv.Text("type")),
            null,
            csv.Text("merged_from_codes").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));

    /// <summary>The 63 units in force from 2008 to 2025-06-30.</summary>
    public static IReadOnlyList<Province> Era2020 => Loaded2020.Value;

    /// <summary>The 34 units in force from 2025-07-01.</summary>
    public static IReadOnlyList<Province> Era2025 => Loaded2025.Value;

    public static IReadOnlyList<Province> Of(ProvinceEra era) => era == ProvinceEra.Era2020 ? Era2020 : Era2025;

    /// <summary>The unit with this 2-digit code in that era, or null.</summary>
    public static Province? Find(ProvinceEra era, string code) =>
        Of(era).FirstOrDefault(province => province.Code == code);

    /// <summary>The 2025 unit a 2020 unit was merged into (or continued as).</summary>
    public static Province SuccessorOf(Province province2020)
    {
        ArgumentNullException.ThrowIfNull(province2020);
        if (province2020.Era != ProvinceEra.Era2020)
        {
            throw new ArgumentException("only 2020 units have a 2025 successor", nameof(province2020));
        }

        return Era2025.Single(unit => unit.MergedFromCodes.Contains(province2020.Code));
    }

    /// <summary>The 2020 units merged into a 2025 unit.</summary>
    public static IReadOnlyList<Province> PredecessorsOf(Province province2025)
    {
        ArgumentNullException.ThrowIfNull(province2025);
        return [.. province2025.MergedFromCodes.Select(code =>
            Find(ProvinceEra.Era2020, code)
            ?? throw new InvalidOperationException($"2025 unit {province2025.Code} names unknown 2020 code {code}"))];
    }

    private static ProvinceType ParseType(string type) => type switch
    {
        "tinh" => ProvinceType.Province,
        "thanh_pho_truc_thuoc_trung_uong" => ProvinceType.CentralCity,
        _ => throw new InvalidOperationException($"unknown province type '{type}' in the reference data"),
    };
}
