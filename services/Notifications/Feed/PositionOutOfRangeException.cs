using System.Globalization;
using Egov.Steering.ServiceDefaults.Errors;
using Grpc.Core;

namespace Egov.Steering.Notifications.Feed;

/// <summary>OUT_OF_RANGE: the requested position is no longer (or not yet) in the log.</summary>
public sealed class PositionOutOfRangeException : ApiException
{
    private readonly long _afterPosition;
    private readonly long _boundary;

    private PositionOutOfRangeException(string reason, string message, long afterPosition, long boundary)
        : base(StatusCode.OutOfRange, reason, message)
    {
        _afterPosition = afterPosition;
        _boundary = boundary;
    }

    public static PositionOutOfRangeException BeyondRetention(long afterPosition, long purgedThrough) => new(
        "POSITION_BEYOND_RETENTION",
        $"events up to position {purgedThrough} are no longer retained: take a fresh snapshot with " +
        "MembershipService.GetNationalOverview and watch from now (after_position absent)",
        afterPosition,
        purgedThrough);

    public static PositionOutOfRangeException AfterEnd(long afterPosition, long lastPosition) => new(
        "POSITION_AFTER_END",
        $"after_position {afterPosition} is beyond the log's last position {lastPosition} (a position from another deployment?): " +
        "take a fresh snapshot with MembershipService.GetNationalOverview and watch from now",
        afterPosition,
        lastPosition);

    protected override IEnumerable<KeyValuePair<string, string>> Metadata() =>
    [
        new("after_position", _afterPosition.ToString(CultureInfo.InvariantCulture)),
        new("boundary_position", _boundary.ToString(CultureInfo.InvariantCulture)),
        new("snapshot", "egov.steering.membership.v1.MembershipService/GetNationalOverview"),
    ];
}
