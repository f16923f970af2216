namespace Egov.Steering.Membership.Domain;

/// <summary>
/// The register's calendar: what "today" is for as-of reads, compliance and the midnight rollover. Its own service
/// (not the process-wide <see cref="TimeProvider"/>, which the outbox relay and the bus also run on), so that a test
/// can move the register's date without moving their clocks.
/// </summary>
public sealed class MembershipClock(TimeProvider time)
{
    public TimeProvider Time => time;

    public DateOnly Today => VietnamCalendar.Today(time);

    public DateTimeOffset NextMidnight => VietnamCalendar.NextMidnight(time);
}
