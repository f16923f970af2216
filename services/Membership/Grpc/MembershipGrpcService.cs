using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Idempotency;
using Microsoft.EntityFrameworkCore;
using V1 = Egov.Steering.Membership.V1;

namespace Egov.Steering.Membership.Grpc;

/// <summary>
/// egov.steering.membership.v1.MembershipService. Reads answer as of a date (default today in Vietnam); writes are
/// checked against the caller's organisation and run through <see cref="IdempotentWrites"/> (request_id, audit row,
/// one transaction). The methods live in one file per area (committees, memberships, people, posts, compliance).
/// </summary>
public sealed partial class MembershipGrpcService(
    MembershipDbContext db,
    RegisterStore store,
    Caller caller,
    IdempotentWrites writes,
    ICommitteeViewSource views,
    TimeProvider time) : V1.MembershipService.MembershipServiceBase
{
    /// <summary>The committee in its contract form as of the date, with its predecessors and stored compliance.</summary>
    private async Task<V1.Committee> CommitteeAsync(Committee committee, DateOnly date, CancellationToken cancellationToken)
    {
        var predecessors = await db.Committees.Where(c => c.SuccessorId == committee.Id).Select(c => c.Id).ToListAsync(cancellationToken);
        var compliance = await db.CommitteeCompliance.Where(c => c.CommitteeId == committee.Id).Select(c => (ComplianceStatus?)c.Status)
            .SingleOrDefaultAsync(cancellationToken);
        return committee.ToProto(date, predecessors.Order(StringComparer.Ordinal), compliance);
    }

    /// <summary>The committee with everything its memberships and groups name, or NOT_FOUND.</summary>
    private async Task<(Register Register, Committee Committee)> LoadCommitteeAsync(string id, CancellationToken cancellationToken)
    {
        var register = await store.LoadCommitteesAsync([id], cancellationToken);
        var committee = register.FindCommittee(id) ?? throw new ServiceDefaults.Errors.ResourceNotFoundException("committees/" + id);
        return (register, committee);
    }
}
