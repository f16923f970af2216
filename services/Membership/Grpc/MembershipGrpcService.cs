using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.UseCases;
using Egov.Steering.Membership.Views;
using Egov.Steering.Writes;
using Google.Protobuf;
using Grpc.Core;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using V1 = Egov.Steering.Membership.V1;

namespace Egov.Steering.Membership.Grpc;

/// <summary>
/// egov.steering.membership.v1.MembershipService: each method checks the request's shape, calls one use case
/// (<see cref="MembershipUseCases"/>, where the rules are) and maps the answer. Reads answer as of a date (default
/// today in Vietnam); writes run through <see cref="IdempotentWrites"/> (request_id, audit row, and the change with
/// its outbox events in one transaction). One file per area: committees, memberships, working groups, people, posts,
/// compliance rules, preview.
/// </summary>
public sealed partial class MembershipGrpcService(
    MembershipUseCases useCases,
    IdempotentWrites writes,
    MembershipDbContext db,
    CommitteeViews views,
    MembershipClock clock) : V1.MembershipService.MembershipServiceBase
{
    private DateOnly Today => clock.Today;

    /// <summary>A write use case in its idempotent, audited transaction; <paramref name="resourceOf"/> names what it wrote.</summary>
    private Task<TResponse> WriteAsync<TResponse>(
        IMessage request, string requestId, ServerCallContext context, Func<TResponse, string> resourceOf, Func<CancellationToken, Task<TResponse>> write)
        where TResponse : class, IMessage<TResponse>, new() =>
        writes.ExecuteAsync(db, requestId, context.Method, resourceOf, request, write, context.CancellationToken);

    /// <summary>As above, for a write of a resource named before it runs: its audit entry is saved with the write's changes.</summary>
    private Task<TResponse> WriteAsync<TResponse>(
        IMessage request, string requestId, ServerCallContext context, string resource, Func<CancellationToken, Task<TResponse>> write)
        where TResponse : class, IMessage<TResponse>, new() =>
        writes.ExecuteAsync(db, requestId, context.Method, resource, request, write, context.CancellationToken);
}
