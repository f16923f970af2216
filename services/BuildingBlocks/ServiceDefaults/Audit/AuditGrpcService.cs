using Egov.Steering.Audit.V1;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.ServiceDefaults.Audit;

/// <summary>The audit trail of one service's writes, for admins (national organisation, admin scope).</summary>
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
        var filter = AuditFilter.From(request);
        var pageSize = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var after = AuditPageToken.Decode(request.PageToken, filter.Hash);

        var query = db.Set<AuditEntry>().AsNoTracking();
        if (filter.Organisation.Length > 0)
        {
            query = query.Where(entry => entry.Organisation == filter.Organisation);
        }

        if (filter.Resource.EndsWith('/'))
        {
            query = query.Where(entry => entry.Resource.StartsWith(filter.Resource));
        }
        else if (filter.Resource.Length > 0)
        {
            query = query.Where(entry => entry.Resource == filter.Resource);
        }

        if (filter.Start is { } start)
        {
            query = query.Where(entry => entry.OccurredAt >= start);
        }

        if (filter.End is { } end)
        {
            query = query.Where(entry => entry.OccurredAt < end);
        }

        if (after is not null)
        {
            var lastTime = new DateTime(after.OccurredAtTicks, DateTimeKind.Utc);
            query = query.Where(entry => entry.OccurredAt < lastTime || (entry.OccurredAt == lastTime && entry.Id < after.Id));
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
            response.NextPageToken = new AuditPageToken(last.OccurredAt.Ticks, last.Id, filter.Hash).Encode();
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
    };

    private sealed record AuditFilter(string Organisation, string Resource, DateTime? Start, DateTime? End)
    {
        public string Hash { get; } = AuditPageToken.HashFilter(
            Organisation, Resource, Start?.Ticks.ToString("D", null) ?? "", End?.Ticks.ToString("D", null) ?? "");

        public static AuditFilter From(ListAuditRecordsRequest request)
        {
            var violations = new List<BadRequest.Types.FieldViolation>();
            if (request.PageSize < 0)
            {
                violations.Add(Violation("page_size", "must not be negative"));
            }

            var start = ToUtc(request.StartTime, "start_time", violations);
            var end = ToUtc(request.EndTime, "end_time", violations);
            if (start is not null && end is not null && end < start)
            {
                violations.Add(Violation("end_time", "must not be before start_time"));
            }

            if (violations.Count > 0)
            {
                throw new RequestValidationException(violations);
            }

            return new AuditFilter(request.Organisation, request.Resource, start, end);
        }

        private static DateTime? ToUtc(Timestamp? timestamp, string field, List<BadRequest.Types.FieldViolation> violations)
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
                violations.Add(Violation(field, "is not a valid timestamp"));
                return null;
            }
        }

        private static BadRequest.Types.FieldViolation Violation(string field, string description) =>
            new() { Field = field, Description = description };
    }
}
