namespace Egov.Steering.ReferenceData;

public enum MinistryKind
{
    /// <summary>Bộ.</summary>
    Ministry,

    /// <summary>Cơ quan ngang bộ.</summary>
    MinisterialAgency,
}

/// <summary>A ministry or ministerial-level agency.</summary>
/// <param name="Code">The organisation code, e.g. "ministry-btttt".</param>
/// <param name="Period">When it existed as the source gives it: "2016-2025" or the date it was created ("2025-03-01").</param>
/// <param name="Name">Vietnamese name in NFC, e.g. "Bộ Thông tin và Truyền thông".</param>
/// <param name="Fate">What became of it from 2025-03-01 (Resolution 176/2025/QH15), e.g. "merged into Bộ Khoa học và Công nghệ".</param>
public sealed record Ministry(string Code, string Period, MinistryKind Kind, string Name, string EnglishName, string Fate)
{
    /// <summary>Whether it still exists from 2025-03-01 on (kept, or created by the reform).</summary>
    public bool InForceFromMarch2025 =>
        Fate.StartsWith("kept", StringComparison.Ordinal) || Fate.StartsWith("new", StringComparison.Ordinal);
}

/// <summary>The ministries and ministerial-level agencies before and after the 2025 reform.</summary>
public static class Ministries
{
    private static readonly Lazy<IReadOnlyList<Ministry>> Loaded = new(() => ReferenceFiles.ReadRows(
        ReferenceFiles.Ministries,
        csv => new Ministry(
            csv.Text("code"),
            csv.Text("period"),
            csv.Text("kind") switch
            {
                "bo" => MinistryKind.Ministry,
                "co_quan_ngang_bo" => MinistryKind.MinisterialAgency,
                var kind => throw new InvalidOperationException($"unknown ministry kind '{kind}' in the reference data"),
            },
            csv.Text("name_vi"),
            csv.Text("name_en"),
            csv.Text("fate_from_2025_03_01"))));

    public static IReadOnlyList<Ministry> All => Loaded.Value;

    /// <summary>The ministry with this organisation code, or null.</summary>
    public static Ministry? Find(string code) => All.FirstOrDefault(ministry => ministry.Code == code);
}
