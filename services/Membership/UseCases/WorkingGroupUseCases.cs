using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.ServiceDefaults.Errors;

namespace Egov.Steering.Membership.UseCases;

public sealed class WorkingGroupUseCases(RegisterStore store, RegisterAccess access)
{
    /// <summary>The committee's groups in force on the date, or every group it ever had (<paramref name="showEnded"/>).</summary>
    public async Task<(Register Register, IReadOnlyList<WorkingGroup> Groups)> ListAsync(
        string committeeId, DateOnly date, bool showEnded, CancellationToken cancellationToken)
    {
        var (register, committee) = await access.LoadCommitteeAsync(committeeId, cancellationToken);
        return (register, [.. committee.WorkingGroups.Where(g => showEnded || g.InForceOn(date))]);
    }

    public async Task<(Register Register, WorkingGroup Group)> GetAsync(string committeeId, string groupId, CancellationToken cancellationToken)
    {
        var register = await store.LoadCommitteesAsync([committeeId], cancellationToken);
        var group = register.FindCommittee(committeeId)?.FindWorkingGroup(groupId)
            ?? throw new ResourceNotFoundException(ResourceNames.WorkingGroup.Format(committeeId, groupId));
        return (register, group);
    }
}
