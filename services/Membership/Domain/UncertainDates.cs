namespace Egov.Steering.Membership.Domain;

/// <summary>Whether a fact read as of a date is known to hold then (see <see cref="UncertainDates"/>).</summary>
public enum Certainty
{
    Certain = 1,
    Uncertain = 2,
}

/// <summary>
/// A date known only to the year or month is a period, not its first day: the day it stands for lies somewhere in
/// it, from the later of its first day and a known lower bound (the effective date of a legal basis: a decision
/// implementing 701/QĐ-TTg of 2020-05-26 cannot take effect before it) to its last day. A read inside that span
/// cannot say whether the change had happened yet; after it, it had.
/// </summary>
public static class UncertainDates
{
    /// <summary>The bound when it narrows the period (an imprecise date whose span contains it after its first day), else null.</summary>
    public static DateOnly? NotBefore(CivilDate date, DateOnly? bound) =>
        bound is { } day && date.Precision != DatePrecision.Day && day > date.FirstDay && day <= date.LastDay ? day : null;

    /// <summary>The earliest day the date can stand for.</summary>
    public static DateOnly Earliest(CivilDate date, DateOnly? notBefore) =>
        NotBefore(date, notBefore) ?? date.FirstDay;

    /// <summary>
    /// Whether something from <paramref name="start"/> until <paramref name="end"/> (first day no longer, null while
    /// open) is in force on the date: certainly, uncertainly, or (null) certainly not.
    /// </summary>
    public static Certainty? PresenceOn(CivilDate start, DateOnly? startNotBefore, CivilDate? end, DateOnly? endNotBefore, DateOnly date)
    {
        if (date < Earliest(start, startNotBefore) || (end is { } ended && date >= ended.LastDay))
        {
            return null;
        }

        var surelyStarted = date >= start.LastDay;
        var surelyNotEnded = end is not { } last || date < Earliest(last, endNotBefore);
        return surelyStarted && surelyNotEnded ? Certainty.Certain : Certainty.Uncertain;
    }

    /// <summary>The latest of the dates, by the last day each can stand for (on a tie, the more precise); null when none.</summary>
    public static CivilDate? Latest(IEnumerable<CivilDate> dates) =>
        dates.Select(date => (CivilDate?)date).MaxBy(date => (date!.Value.LastDay, date.Value.Precision));
}
