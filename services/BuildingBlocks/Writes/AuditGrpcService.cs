using System.Globalization;
using Egov.Steering.Audit.V1;
using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Paging;
using Egov.Steering.ServiceDefaults.Validation;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Writes;

/// <summary>The audit trail of one service's writes and refused calls, for admins (national organisation, admin scope).</summary>
[Authorize(Policy = SteeringPolicies.Admin)]
public sealed class AuditGrpcService<TContext>(TContext db) : AuditService.AuditServiceBase
    where TContext : DbContext
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 500;

    public override async Task<ListAuditRecordsResponse> ListAuditRecords(
        ListAuditRecordsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var validator = new RequestValidator();
        var pageSize = validator.PageSize("page_size", request.PageSize, DefaultPageSize, MaxPageSize);
        var start = ToUtc(validator, "start_time", request.StartTime);
        var end = ToUtc(validator, "end_time", request.EndTime);
        if (start is not null && end is not null && end < start)
        {
            validator.Add("end_time", "must not be before start_time");
        }

        validator.ThrowIfInvalid();
        var after = PageToken.Parse(request, request.PageToken);

        var query = db.Set<AuditEntry>().AsNoTracking();
        if (!request.IncludeRefused)
        {
            query = query.Where(entry => entry.RefusedCode == null);
        }

        if (request.Organisation.Length > 0)
        {
            query = query.Where(entry => entry.Organisation == request.Organisation);
        }

        if (request.Resource.EndsWith('/'))
        {
            query = query.Where(entry => entry.Resource.StartsWith(request.Resource));
        }
        else if (request.Resource.Length > 0)
        {
            query = query.Where(entry => entry.Resource == request.Resource);
        }

        if (start is not null)
        {
            query = query.Where(entry => entry.OccurredAt >= start);
        }

        if (end is not null)
        {
            query = query.Where(entry => entry.OccurredAt < end);
        }

        if (after is not null)
        {
            // Newest first: the next page holds what sorts after the last record returned.
            var (lastTime, lastId) = ParseLastKey(after);
            query = query.Where(entry => entry.OccurredAt < lastTime || (entry.OccurredAt == lastTime && entry.Id < lastId));
        }

        var page = await query
            .OrderByDescending(entry => entry.OccurredAt)
            .ThenByDescending(entry => entry.Id)
            .Take(pageSize + 1)
            .ToListAsync(context.CancellationToken);

        var response = new ListAuditRecordsResponse();
        response.AuditRecords.AddRange(page.Take(pageSize).Select(ToMessage));
        if (page.Count > pageSize)
        {
            var last = page[pageSize - 1];
            response.NextPageToken = PageToken.Create(
                request,
                last.OccurredAt.Ticks.ToString(CultureInfo.InvariantCulture),
                last.Id.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    private static AuditRecord ToMessage(AuditEntry entry) => new()
    {
        // SQLite hands timestamps back without a kind; they were stored in UTC.
        Time = Timestamp.FromDateTime(DateTime.SpecifyKind(entry.OccurredAt, DateTimeKind.Utc)),
        Subject = entry.Subject,
        Organisation = entry.Organisation,
        Method = entry.Method,
        Resource = entry.Resource,
        RequestId = entry.RequestId ?? string.Empty,
        Refusal = entry.RefusedCode is { } code
            ? new Refusal { Code = code, Reason = entry.RefusedReason ?? string.Empty, SuppressedBefore = entry.SuppressedRefusals }
            : null,
    };

    private static DateTime? ToUtc(RequestValidator validator, string field, Timestamp? timestamp)
    {
        if (timestamp is null)
        {
            return null;
        }

        try
        {
            return timestamp.ToDateTime();
        }
        catch (InvalidOperationException)
        {
            validator.Add(field, "is not a valid timestamp");
            return null;
        }
    }

    // The key was written by this service; a tampered token that no longer parses is the client's error.
    private static (DateTime OccurredAt, long Id) ParseLastKey(IReadOnlyList<string> key) =>
        key is [var ticks, var id]
        && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var occurredAtTicks)
        && occurredAtTicks <= DateTime.MaxValue.Ticks
        && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var lastId)
            ? (new DateTime(occurredAtTicks, DateTimeKind.Utc), lastId)
            : throw new RequestValidationException(PageToken.Field, "is not a page token of this service");
}
