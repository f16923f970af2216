using System.Globalization;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.Membership.UseCases;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using T = Egov.Steering.Types.V1;
using V1 = Egov.Steering.Membership.V1;

namespace Egov.Steering.Membership.Grpc;

public sealed partial class MembershipGrpcService
{
    /// <summary>"committees/-": every committee (ListMemberships of a person or a post).</summary>
    private const string AnyCommittee = "-";

    private static readonly string[] CorrectableMembershipFields = ["person", "post", "roles", "other_role", "start_date", "end_date", "end_reason"];

    public override async Task<V1.CommitteeMembership> GetMembership(V1.GetMembershipRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var ids = validator.ResourceName("name", request.Name, ResourceNames.Membership);
        var date = validator.AsOf(request.AsOf, Today);
        validator.ThrowIfInvalid();

        var (register, membership) = await useCases.Memberships.GetAsync(ids![0], ids[1], context.CancellationToken);
        return ContractMapper.Membership(register, membership, date);
    }

    public override async Task<V1.ListMembershipsResponse> ListMemberships(V1.ListMembershipsRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        var committeeId = validator.Id("parent", request.Parent, ResourceNames.Committee);
        var pageSize = validator.PageSize(request.PageSize);
        var date = validator.AsOf(request.AsOf, Today);
        var personId = validator.Id("person", request.Person, ResourceNames.Person, required: false);
        var postId = validator.Id("post", request.Post, ResourceNames.Post, required: false);
        var roles = validator.Enums<T.MembershipRole, MembershipRole>("roles", request.Roles);
        var acrossCommittees = committeeId == AnyCommittee;
        if (acrossCommittees && request.Person.Length == 0 && request.Post.Length == 0)
        {
            validator.Add("person", "person or post is required when parent is committees/- (all committees)");
        }

        validator.ThrowIfInvalid();

        var filter = new MembershipFilter(acrossCommittees ? null : committeeId, personId, postId, roles, request.ShowEnded);
        var (register, memberships) = await useCases.Memberships.ListAsync(filter, date, context.CancellationToken);
        var (page, next) = Requests.Page(memberships, m => MembershipOrder(register, m, date, acrossCommittees), request, request.PageToken, pageSize);

        var response = new V1.ListMembershipsResponse { NextPageToken = next };
        response.Memberships.Add(page.Select(m => ContractMapper.Membership(register, m, date)));
        return response;
    }

    [Authorize(Policy = SteeringPolicies.Write)]
    public override async Task<V1.CommitteeMembership> CorrectMembership(V1.CorrectMembershipRequest request, ServerCallContext context)
    {
        var validator = new RequestValidator();
        validator.Required("membership", request.Membership);
        var input = request.Membership ?? new V1.CommitteeMembership();
        var ids = validator.ResourceName("membership.name", input.Name, ResourceNames.Membership);
        var paths = validator.Mask(request.UpdateMask, CorrectableMembershipFields);
        var reason = validator.Text("reason", request.Reason, 1000, allowLineBreaks: true);
        var personId = paths.Contains("person") ? validator.Id("membership.person", input.Person, ResourceNames.Person, required: false) : null;
        var postId = paths.Contains("post") ? validator.Id("membership.post", input.Post, ResourceNames.Post, required: false) : null;
        var roles = paths.Contains("roles") ? validator.Enums<T.MembershipRole, MembershipRole>("membership.roles", input.Roles) : null;
        if (roles is { Count: 0 } && validator.IsValid)
        {
            validator.Add("membership.roles", "at least one role is required");
        }

        var otherRole = validator.Text("membership.other_role", input.OtherRole, TextLimits.Name, required: false);
        var start = validator.CivilDate("membership.start_date", input.StartDate);
        if (paths.Contains("start_date") && input.StartDate is null)
        {
            validator.Add("membership.start_date", "is required when corrected: a membership has a first day");
        }

        var end = validator.CivilDate("membership.end_date", input.EndDate);
        var endReason = validator.Text("membership.end_reason", input.EndReason, TextLimits.Reason, required: false);
        validator.ThrowIfInvalid();

        var update = new Update<MembershipCorrectionFields>(
            input.Etag, paths, new(personId, postId, roles, NullIfEmpty(otherRole), start, end, NullIfEmpty(endReason)));
        return await WriteAsync(request, request.RequestId, context, input.Name, async cancellationToken =>
        {
            var (register, membership) = await useCases.Memberships.CorrectAsync(ids![0], ids[1], update, reason, cancellationToken);
            return ContractMapper.Membership(register, membership, Today);
        });
    }

    /// <summary>Chair first, then by role, then the sitter's name in Vietnamese order, then start date.</summary>
    private static string[] MembershipOrder(Register register, CommitteeMembership membership, DateOnly date, bool acrossCommittees)
    {
        var name = register.SeatedPerson(membership.Holder, date)?.DisplayName ?? register.FindPost(membership.PostId)?.DisplayName ?? "";
        return
        [
            acrossCommittees ? membership.CommitteeId : "",
            AsOfQueries.Rank(membership.RolesOn(date)).ToString("D2", CultureInfo.InvariantCulture),
            VietnameseText.SortKey(name),
            membership.Start.ToString(),
            membership.CommitteeId,
            membership.Id.PadLeft(10, '0'),
        ];
    }
}
