namespace Egov.Steering.Membership.Domain;

/// <summary>Civil dates are Vietnam's (UTC+7 all year, no daylight saving): what "today" means for as-of reads.</summary>
public static class VietnamCalendar
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    public static DateOnly Today(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DateOnly.FromDateTime(time.GetUtcNow().ToOffset(Offset).DateTime);
    }

    /// <summary>The first instant (UTC) of the next day in Vietnam: when future-dated changes of that day take effect.</summary>
    public static DateTimeOffset NextMidnight(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var tomorrow = Today(time).AddDays(1);
        return new DateTimeOffset(tomorrow.ToDateTime(TimeOnly.MinValue), Offset).ToUniversalTime();
    }
}
