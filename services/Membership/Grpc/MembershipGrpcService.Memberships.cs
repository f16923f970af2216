using System.Globalization;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Events;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Text;
using Egov.Steering.ServiceDefaults.Validation;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
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

        var register = await store.LoadCommitteesAsync([ids![0]], context.CancellationToken);
        var membership = register.FindCommittee(ids[0])?.FindMembership(ids[1])
            ?? throw new ResourceNotFoundException(ResourceNames.Membership.Format(ids[0], ids[1]));
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

        // Ex-officio seats count for the person who holds the post on the date.
        var heldPosts = personId is null ? [] : await db.Posts
            .Where(p => p.Holders.Any(h => h.PersonId == personId)).Select(p => p.Id).ToListAsync(context.CancellationToken);
        var committees = acrossCommittees
            ? db.CommitteeAggregates.Where(c => c.Memberships.Any(m =>
                (personId == null || m.PersonId == personId || heldPosts.Contains(m.PostId!)) && (postId == null || m.PostId == postId)))
            : db.CommitteeAggregates.Where(c => c.Id == committeeId);
        var register = await store.LoadCommitteesAsync(committees, context.CancellationToken);
        if (!acrossCommittees && register.FindCommittee(committeeId) is null)
        {
            throw new ResourceNotFoundException(request.Parent);
        }

        var matching = register.Committees.SelectMany(c => c.Memberships).Where(m =>
            (request.ShowEnded || m.PresenceOn(date) is not null)
            && (personId is null || m.PersonId == personId || (m.PersonId is null && register.FindPost(m.PostId)?.HolderOn(date) == personId))
            && (postId is null || m.PostId == postId)
            && (roles.Count == 0 || m.RolesOn(date).Roles.Any(roles.Contains)));
        var (page, next) = Requests.Page(matching, m => MembershipOrder(register, m, date, acrossCommittees), request, request.PageToken, pageSize);

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

        var otherRole = validator.Text("membership.other_role", input.OtherRole, Requests.MaxNameLength, required: false);
        var start = validator.CivilDate("membership.start_date", input.StartDate);
        if (paths.Contains("start_date") && input.StartDate is null)
        {
            validator.Add("membership.start_date", "is required when corrected: a membership has a first day");
        }

        var end = validator.CivilDate("membership.end_date", input.EndDate);
        var endReason = validator.Text("membership.end_reason", input.EndReason, 500, required: false);
        validator.ThrowIfInvalid();

        return await writes.ExecuteAsync(db, request.RequestId, context.Method, input.Name, request, async cancellationToken =>
        {
            var (register, committee) = await LoadCommitteeAsync(ids![0], cancellationToken);
            var membership = committee.FindMembership(ids[1]) ?? throw new ResourceNotFoundException(ResourceNames.Membership.Format(ids[0], ids[1]));
            caller.EnsureCanWrite(committee.Jurisdiction);
            var today = Today;
            if (input.Etag.Length > 0 && input.Etag != ContractMapper.Etag(membership.Revision))
            {
                throw new StaleEtagException(membership.ResourceName);
            }

            var before = ContractMapper.Membership(register, membership, today);
            var corrected = new Holder(
                paths.Contains("person") ? personId : membership.PersonId,
                paths.Contains("post") ? postId : membership.PostId);
            var current = membership.CurrentRoles;
            var newRoles = new RoleSet(
                roles ?? [.. current.Roles],
                paths.Contains("other_role") ? NullIfEmpty(otherRole) : current.OtherRole);
            await CheckCorrectionAsync(register, corrected, newRoles, cancellationToken);
            membership.Correct(
                corrected,
                paths.Contains("start_date") ? start!.Value : membership.Start,
                paths.Contains("end_date") ? end : membership.End,
                paths.Contains("end_reason") ? NullIfEmpty(endReason) : membership.EndReason,
                newRoles);
            CheckCorrectedInvariants(committee, membership);
            if (!current.SameAs(newRoles))
            {
                Emit(register, committee, new MembershipRolesChanged(
                    committee.Id, membership.Id, current, newRoles, null, membership.RolePeriods[^1].Start));
            }

            db.MembershipCorrections.Add(new MembershipCorrection
            {
                CommitteeId = committee.Id,
                MembershipId = membership.Id,
                Fields = [.. paths],
                Reason = reason,
                Before = JsonFormatter.Default.Format(before),
                After = JsonFormatter.Default.Format(ContractMapper.Membership(register, membership, today)),
                Subject = caller.Subject,
                Organisation = caller.Organisation,
                CorrectedAt = clock.Time.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(cancellationToken);
            await compliance.RecomputeAsync([committee.Id], EventCause.None, cancellationToken);
            return ContractMapper.Membership(register, membership, today);
        }, context.CancellationToken);
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

    /// <summary>The corrected holder names people and posts that exist, and the roles are complete.</summary>
    private async Task CheckCorrectionAsync(Register register, Holder holder, RoleSet roles, CancellationToken cancellationToken)
    {
        var validator = new RequestValidator();
        if (holder.PersonId is null && holder.PostId is null)
        {
            validator.Add("membership.person", "a membership needs a person or a post; both would be empty");
        }

        if (holder.PersonId is { } person && register.FindPerson(person) is null && !await db.People.AnyAsync(p => p.Id == person, cancellationToken))
        {
            validator.Add("membership.person", $"people/{person} does not exist");
        }

        if (holder.PostId is { } post && register.FindPost(post) is null && !await db.Posts.AnyAsync(p => p.Id == post, cancellationToken))
        {
            validator.Add("membership.post", $"posts/{post} does not exist");
        }

        if (roles.Contains(MembershipRole.Other) && string.IsNullOrWhiteSpace(roles.OtherRole))
        {
            validator.Add("membership.other_role", "is required when the roles contain OTHER");
        }

        validator.ThrowIfInvalid();
    }

    /// <summary>The corrected record must still be a possible one: ordered dates, no double seat, one chair a day.</summary>
    private static void CheckCorrectedInvariants(Committee committee, CommitteeMembership membership)
    {
        if (membership.End is { } end && end <= membership.Start)
        {
            throw new RequestValidationException("membership.end_date", $"must be after the start date {membership.Start} (it is the first day no longer in office)");
        }

        if (!membership.RolePeriodsOrdered())
        {
            throw new RequestValidationException("membership.start_date", "the corrected dates would put a recorded role change outside the membership; correct through a decision instead");
        }

        var violations = committee.ConflictsOf(membership)
            .Select(c => new PreconditionViolation(
                c.Conflict == MembershipConflict.AlreadyAMember ? "ALREADY_A_MEMBER" : "SECOND_CHAIR",
                c.Other.ResourceName,
                c.Conflict == MembershipConflict.AlreadyAMember
                    ? "the same person or post would hold two memberships of the committee at once"
                    : "the committee would have two chairs on the same day"))
            .ToList();
        if (violations.Count > 0)
        {
            throw new PreconditionFailedException("MEMBERSHIP_INVARIANT", "the correction would break an invariant of the committee's memberships", violations);
        }
    }
}
