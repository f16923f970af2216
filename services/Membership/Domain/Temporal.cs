namespace Egov.Steering.Membership.Domain;

/// <summary>
/// Something in force over a period: from <see cref="Start"/> (first day) until <see cref="End"/> (first day no longer
/// in force; null while open). In force on D when Start ≤ D &lt; End, comparing imprecise dates by their first day.
/// </summary>
public interface ITimeBound
{
    CivilDate Start { get; }

    CivilDate? End { get; }
}

public static class Temporal
{
    public static bool InForceOn(this ITimeBound item, DateOnly date) =>
        item.Start.FirstDay <= date && (item.End is not { } end || date < end.FirstDay);

    /// <summary>Whether it is in force on D or starts later (not ended by D).</summary>
    public static bool OpenOn(this ITimeBound item, DateOnly date) => item.End is not { } end || date < end.FirstDay;

    /// <summary>Whether two periods share at least one day (empty periods share none).</summary>
    public static bool Overlaps(this ITimeBound item, ITimeBound other) =>
        item.Start.FirstDay < (other.End?.FirstDay ?? DateOnly.MaxValue)
        && other.Start.FirstDay < (item.End?.FirstDay ?? DateOnly.MaxValue)
        && !item.IsEmpty() && !other.IsEmpty();

    public static bool IsEmpty(this ITimeBound item) => item.End is { } end && end.FirstDay <= item.Start.FirstDay;

    /// <summary>The item in force on the date (periods of one history never overlap), or null.</summary>
    public static T? InForce<T>(this IEnumerable<T> history, DateOnly date)
        where T : class, ITimeBound => history.LastOrDefault(item => item.InForceOn(date));

    /// <summary>The item still open (no end), or null.</summary>
    public static T? Current<T>(this IEnumerable<T> history)
        where T : class, ITimeBound => history.LastOrDefault(item => item.End is null);
}
