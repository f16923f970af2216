using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.Text;
using Grpc.Core;
using V1 = Egov.Steering.Membership.V1;

namespace Egov.Steering.Membership.Grpc;

public sealed partial class MembershipGrpcService
{
    public override async Task<V1.ListWorkingGroupsResponse> ListWorkingGroups(V1.ListWorkingGroupsRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var id = validator.Id("parent", request.Parent, ResourceNames.Committee);
        var pageSize = validator.PageSize(request.PageSize);
        var date = validator.AsOf(request.AsOf, Today);
        validator.ThrowIfInvalid();

        var (register, groups) = await useCases.WorkingGroups.ListAsync(id!, date, request.ShowEnded, context.CancellationToken);
        var (page, next) = Requests.Page(groups, g => [VietnameseText.SortKey(g.DisplayName), g.Id], request, request.PageToken, pageSize);

        var response = new V1.ListWorkingGroupsResponse { NextPageToken = next };
        response.WorkingGroups.Add(page.Select(g => GroupOn(register, g, date, request.ShowEnded)));
        return response;
    }

    public override async Task<V1.WorkingGroup> GetWorkingGroup(V1.GetWorkingGroupRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var ids = validator.ResourceName("name", request.Name, ResourceNames.WorkingGroup);
        var date = validator.AsOf(request.AsOf, Today);
        validator.ThrowIfInvalid();

        var (register, group) = await useCases.WorkingGroups.GetAsync(ids![0], ids[1], context.CancellationToken);
        return ContractMapper.WorkingGroup(register, group, date);
    }

    /// <summary>The group with its members on the date, or with every member it ever had (show_ended).</summary>
    private static V1.WorkingGroup GroupOn(Register register, WorkingGroup group, DateOnly date, bool allMembers) =>
        allMembers
            ? ContractMapper.WorkingGroup(new WorkingGroupAsOf(group, [.. group.Seats
                .OrderBy(s => s.Role).ThenBy(s => s.Start)
                .Select(s => new WorkingGroupSeatAsOf(s, register.FindPost(s.PostId), register.SeatedPerson(s.Holder, s.SittingDay(date))))]))
            : ContractMapper.WorkingGroup(register, group, date);
}
