using System.Globalization;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.V1;
using Egov.Steering.ServiceDefaults.Paging;
using Egov.Steering.ServiceDefaults.Validation;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Notifications.Feed;

/// <summary>Validation of the feed's requests and the paged history.</summary>
internal static class FeedRequests
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 500;
    private static readonly ResourceNameTemplate CommitteeName = new("committees/{committee}");

    public static void ValidateWatch(WatchEventsRequest request)
    {
        var validator = new RequestValidator();
        if (request.HasAfterPosition && request.AfterPosition < 0)
        {
            validator.Add("after_position", "must be 0 (the beginning) or a position the stream gave");
        }

        ValidateFilter(validator, "filter", request.Filter);
        validator.ThrowIfInvalid();
    }

    public static async Task<ListEventsResponse> ListAsync(NotificationsDbContext db, ListEventsRequest request, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator();
        var pageSize = validator.PageSize("page_size", request.PageSize, DefaultPageSize, MaxPageSize);
        if (request.AfterPosition < 0)
        {
            validator.Add("after_position", "must be 0 (the beginning) or a position");
        }

        if (request.StartTime is not null && request.EndTime is not null && request.StartTime.CompareTo(request.EndTime) >= 0)
        {
            validator.Add("end_time", "must be after start_time");
        }

        ValidateFilter(validator, "filter", request.Filter);
        validator.ThrowIfInvalid();

        var after = request.AfterPosition;
        if (PageToken.Parse(request, request.PageToken) is [var lastKey])
        {
            after = long.Parse(lastKey, CultureInfo.InvariantCulture);
        }

        await EventLog.EnsureInRangeAsync(db, after, cancellationToken);
        var query = new EventFilterMatcher(request.Filter).Apply(db.Events.AsNoTracking()).Where(e => e.Position > after);
        if (request.StartTime is not null)
        {
            var start = request.StartTime.ToDateTime();
            query = query.Where(e => e.EventTime >= start);
        }

        if (request.EndTime is not null)
        {
            var end = request.EndTime.ToDateTime();
            query = query.Where(e => e.EventTime < end);
        }

        var rows = await query.OrderBy(e => e.Position).Take(pageSize + 1).ToListAsync(cancellationToken);
        var envelopes = rows.Take(pageSize).Select(row => row.ToEnvelope()).ToList();
        var fitting = PageBytes.Fitting(envelopes);
        var response = new ListEventsResponse();
        response.Events.AddRange(envelopes.Take(fitting));
        if (fitting < envelopes.Count || rows.Count > pageSize)
        {
            response.NextPageToken = PageToken.Create(request, rows[fitting - 1].Position.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    public static void ValidateFilter(RequestValidator validator, string field, EventFilter? filter)
    {
        if (filter is null)
        {
            return;
        }

        for (var index = 0; index < filter.Committees.Count; index++)
        {
            validator.ResourceName($"{field}.committees[{index}]", filter.Committees[index], CommitteeName);
        }

        for (var index = 0; index < filter.Levels.Count; index++)
        {
            validator.Enum($"{field}.levels[{index}]", filter.Levels[index]);
        }

        for (var index = 0; index < filter.Jurisdictions.Count; index++)
        {
            validator.Text($"{field}.jurisdictions[{index}]", filter.Jurisdictions[index], 100);
        }

        for (var index = 0; index < filter.EventTypes.Count; index++)
        {
            validator.Text($"{field}.event_types[{index}]", filter.EventTypes[index], 200);
        }
    }
}
