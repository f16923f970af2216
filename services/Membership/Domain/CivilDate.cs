using System.Globalization;

namespace Egov.Steering.Membership.Domain;

public enum DatePrecision
{
    Year = 1,
    Month = 2,
    Day = 3,
}

/// <summary>
/// A civil date in Vietnam that may be known only to the year or the month. Everywhere dates are compared, an
/// imprecise date stands for its first day ("2019" → 2019-01-01); checks that such a date cannot decide use
/// <see cref="LastDay"/> too and report "unknown" rather than guess.
/// </summary>
public readonly record struct CivilDate : IComparable<CivilDate>
{
    private CivilDate(int year, int month, int day, DatePrecision precision)
    {
        Year = year;
        Month = month;
        Day = day;
        Precision = precision;
    }

    public int Year { get; }

    /// <summary>1..12; 0 when only the year is known.</summary>
    public int Month { get; }

    /// <summary>1..31; 0 unless the full date is known.</summary>
    public int Day { get; }

    public DatePrecision Precision { get; }

    public DateOnly FirstDay => new(Year, Math.Max(Month, 1), Math.Max(Day, 1));

    public DateOnly LastDay => Precision switch
    {
        DatePrecision.Year => new DateOnly(Year, 12, 31),
        DatePrecision.Month => new DateOnly(Year, Month, DateTime.DaysInMonth(Year, Month)),
        _ => FirstDay,
    };

    public static CivilDate Of(DateOnly date) => new(date.Year, date.Month, date.Day, DatePrecision.Day);

    public static CivilDate Of(int year, int month, int day) => Of(new DateOnly(year, month, day));

    public static CivilDate OfMonth(int year, int month) =>
        IsValid(year, month, 0, DatePrecision.Month)
            ? new CivilDate(year, month, 0, DatePrecision.Month)
            : throw new ArgumentOutOfRangeException(nameof(month));

    public static CivilDate OfYear(int year) =>
        IsValid(year, 0, 0, DatePrecision.Year)
            ? new CivilDate(year, 0, 0, DatePrecision.Year)
            : throw new ArgumentOutOfRangeException(nameof(year));

    /// <summary>Whether the parts form a date of that precision (year 1900..2200; unused parts 0).</summary>
    public static bool IsValid(int year, int month, int day, DatePrecision precision) =>
        year is >= 1900 and <= 2200 && precision switch
        {
            DatePrecision.Year => month == 0 && day == 0,
            DatePrecision.Month => month is >= 1 and <= 12 && day == 0,
            DatePrecision.Day => month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month),
            _ => false,
        };

    public static CivilDate Create(int year, int month, int day, DatePrecision precision) =>
        IsValid(year, month, day, precision)
            ? new CivilDate(year, month, day, precision)
            : throw new ArgumentOutOfRangeException(nameof(precision), $"{year}-{month}-{day} is not a valid date of precision {precision}");

    /// <summary>
    /// "2019", "2019-06" or "2019-06-20". The stored form: compared as strings (ordinal), it orders like
    /// <see cref="FirstDay"/>, and a shorter form sorts before a full date on its first day, so SQL comparisons
    /// such as <c>start_date &lt;= '2019-06-01'</c> follow the first-day rule.
    /// </summary>
    public override string ToString() => Precision switch
    {
        DatePrecision.Year => Year.ToString("D4", CultureInfo.InvariantCulture),
        DatePrecision.Month => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}-{Day:D2}"),
    };

    public static CivilDate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('-');
        var numbers = parts.Select(part => int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        return numbers.Length switch
        {
            1 => OfYear(numbers[0]),
            2 => OfMonth(numbers[0], numbers[1]),
            3 => Of(numbers[0], numbers[1], numbers[2]),
            _ => throw new FormatException($"'{text}' is not a civil date"),
        };
    }

    /// <summary>By first day; on the same first day the less precise date first (as its stored form sorts).</summary>
    public int CompareTo(CivilDate other)
    {
        var byDay = FirstDay.CompareTo(other.FirstDay);
        return byDay != 0 ? byDay : Precision.CompareTo(other.Precision);
    }

    public static bool operator <(CivilDate left, CivilDate right) => left.FirstDay < right.FirstDay;

    public static bool operator >(CivilDate left, CivilDate right) => left.FirstDay > right.FirstDay;

    public static bool operator <=(CivilDate left, CivilDate right) => left.FirstDay <= right.FirstDay;

    public static bool operator >=(CivilDate left, CivilDate right) => left.FirstDay >= right.FirstDay;
}
