using System.Globalization;
using System.Text;
using CsvHelper;

namespace Egov.Steering.ReferenceData;

/// <summary>The embedded reference files (see Data/README.md for their sources).</summary>
public static class ReferenceFiles
{
    public const string Provinces2020 = "provinces_2020.csv";
    public const string Provinces2025 = "provinces_2025.csv";
    public const string Ministries = "ministries.csv";
    public const string Decisions = "decisions.csv";
    public const string OfficeHolders = "office_holders.csv";
    public const string SourceArticle = "source-article.txt";

    /// <summary>The whole text of one embedded file.</summary>
    public static string ReadText(string name)
    {
        using var reader = new StreamReader(Open(name), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Reads every row of an embedded CSV file (header first) with the given projection.</summary>
    internal static IReadOnlyList<T> ReadRows<T>(string name, Func<CsvReader, T> project)
    {
        using var reader = new StreamReader(Open(name), Encoding.UTF8);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var rows = new List<T>();
        while (csv.Read())
        {
            rows.Add(project(csv));
        }

        return rows;
    }

    /// <summary>A field as NFC text: the files are NFC already, but a value compared by code must never depend on it.</summary>
    internal static string Text(this CsvReader csv, string column) =>
        (csv.GetField(column) ?? string.Empty).Trim().Normalize(NormalizationForm.FormC);

    private static Stream Open(string name) =>
        typeof(ReferenceFiles).Assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"embedded reference file '{name}' is missing from the build");
}
