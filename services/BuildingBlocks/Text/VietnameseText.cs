using System.Globalization;
using System.Text;

namespace Egov.Steering.Text;

/// <summary>
/// Vietnamese text the way people search and sort it: stored in NFC, searched through a fold that ignores case and
/// diacritics (đ folds to d explicitly: it is a letter of its own, not d with a combining mark, so Unicode
/// decomposition leaves it alone; so do the letters that look like it, see <see cref="Fold"/>), and sorted by the
/// vi-VN ICU collation through a key that databases compare bytewise.
/// </summary>
public static class VietnameseText
{
    private static readonly CompareInfo? Collation = FindCollation();

    // Digits compare by value ("Ủy viên thứ 2" before "Ủy viên thứ 10"); letters keep the vi-VN order.
    private const CompareOptions NameOrder = CompareOptions.NumericOrdering;

    /// <summary>The order <see cref="SortKey"/> gives, for sorting in memory.</summary>
    public static IComparer<string?> Order { get; } = Comparer<string?>.Create((x, y) => EnsureCollationAvailable().Compare(x, y, NameOrder));

    /// <summary>NFC: the one form stored, so equal text is equal bytes.</summary>
    public static string Normalize(string text) =>
        text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);

    /// <summary>
    /// Lower case, without tone marks or vowel marks, đ → d, whitespace runs collapsed to one space:
    /// "Đà  Nẵng" → "da nang". Store it beside the text and compare folded queries with it. The letters typed or
    /// decoded for Đ/đ fold to d too — Ð/ð (U+00D0/U+00F0: what Windows-1258's Đ/đ bytes read as Latin-1, and what
    /// some keyboards produce) and Ɖ/ɖ (U+0189/U+0256) — so "QÐ" finds, and duplicates, "QĐ"; the text itself is
    /// stored as written. Stored folds are refreshed by each service's release step when this fold changes.
    /// </summary>
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var character in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(character) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(character))
            {
                pendingSpace = folded.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                folded.Append(' ');
                pendingSpace = false;
            }

            folded.Append(character is 'đ' or 'Đ' or 'ð' or 'Ð' or 'ɖ' or 'Ɖ' ? 'd' : char.ToLowerInvariant(character));
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// The longest <see cref="SortKey"/>: a key grows with its text (4-6 hex digits a letter, more for some scripts), and
    /// one indexed must stay well inside PostgreSQL's limit for an index entry (2,704 bytes).
    /// </summary>
    public const int MaxSortKeyLength = 1000;

    /// <summary>
    /// The vi-VN ICU sort key as lower-case hex: ordinal (byte/"C" collation) order of keys equals Vietnamese order
    /// of the texts (a &lt; ă &lt; â &lt; b … d &lt; đ &lt; e &lt; ê …), numbers by value (2 &lt; 10), so
    /// <c>ORDER BY sort_key</c> sorts Vietnamese on SQLite and PostgreSQL alike. Declare the column with a bytewise
    /// collation on PostgreSQL (<c>COLLATE "C"</c>). Stored keys are recomputed by Membership's seeding step when
    /// this order changes. At most <see cref="MaxSortKeyLength"/> digits: the key's letters come first (then the marks,
    /// then the case), so two long texts cut there still sort by their letters, and equal cut keys fall to the next
    /// column of the order (an id).
    /// </summary>
    public static string SortKey(string text)
    {
        var key = EnsureCollationAvailable().GetSortKey(Normalize(text), NameOrder).KeyData;
        return Convert.ToHexStringLower(key, 0, Math.Min(key.Length, MaxSortKeyLength / 2));
    }

    /// <summary>
    /// Fails loudly when the process has no ICU (invariant globalization): Vietnamese order would silently become
    /// code-point order. Called at start-up by AddServiceDefaults.
    /// </summary>
    public static CompareInfo EnsureCollationAvailable() =>
        Collation ?? throw new InvalidOperationException(
            "Vietnamese collation is unavailable: the process runs without ICU (globalization-invariant mode). "
            + "Install ICU (libicu) and do not set DOTNET_SYSTEM_GLOBALIZATION_INVARIANT or InvariantGlobalization.");

    private static CompareInfo? FindCollation()
    {
        try
        {
            var collation = CultureInfo.GetCultureInfo("vi-VN").CompareInfo;

            // Without ICU comparison is ordinal, where ă (U+0103) sorts after b and đ (U+0111) after e.
            return collation.Compare("ă", "b") < 0 && collation.Compare("đ", "e") < 0 ? collation : null;
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }
}
