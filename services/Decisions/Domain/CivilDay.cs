namespace Egov.Steering.Decisions.Domain;

/// <summary>
/// A civil date in Vietnam that may be known only to the year or the month (type/v1 CivilDate). Comparisons use its
/// first day, as the contract says; <see cref="LastDay"/> tells when an order between two dates is certain.
/// </summary>
public sealed record CivilDay(int Year, int Month, int Day, DatePrecision Precision)
{
    public DateOnly FirstDay => new(Year, Math.Max(Month, 1), Math.Max(Day, 1));

    public DateOnly LastDay => Precision switch
    {
        DatePrecision.Year => new DateOnly(Year, 12, 31),
        DatePrecision.Month => new DateOnly(Year, Month, DateTime.DaysInMonth(Year, Month)),
        _ => FirstDay,
    };

    public bool IsExact => Precision == DatePrecision.Day;

    public override string ToString() => Precision switch
    {
        DatePrecision.Year => $"{Year:D4}",
        DatePrecision.Month => $"{Year:D4}-{Month:D2}",
        _ => $"{Year:D4}-{Month:D2}-{Day:D2}",
    };
}
