using Egov.Steering.Membership.Compliance;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Events;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Validation;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Membership.UseCases;

/// <summary>Memberships in the register they were loaded with (which names their people and posts).</summary>
public sealed record MembershipsInRegister(Register Register, IReadOnlyList<CommitteeMembership> Memberships);

/// <summary>
/// ListMemberships' filters: one committee, or every committee (<see cref="CommitteeId"/> null) the person or post sat
/// on; the person counts ex officio through the post held on the date.
/// </summary>
public sealed record MembershipFilter(string? CommitteeId, string? PersonId, string? PostId, IReadOnlyCollection<MembershipRole> Roles, bool ShowEnded);

/// <summary>The corrected values of a membership (which of them apply, the update's mask says); empty texts are null.</summary>
public sealed record MembershipCorrectionFields(
    string? PersonId, string? PostId, IReadOnlyList<MembershipRole>? Roles, string? OtherRole, CivilDate? Start, CivilDate? End, string? EndReason);

public sealed class CommitteeMembershipUseCases(
    MembershipDbContext db, RegisterStore store, RegisterAccess access, ComplianceRecalculator compliance, Caller caller, MembershipClock clock)
{
    public async Task<(Register Register, CommitteeMembership Membership)> GetAsync(string committeeId, string membershipId, CancellationToken cancellationToken)
    {
        var register = await store.LoadCommitteesAsync([committeeId], cancellationToken);
        var membership = register.FindCommittee(committeeId)?.FindMembership(membershipId)
            ?? throw new ResourceNotFoundException(ResourceNames.Membership.Format(committeeId, membershipId));
        return (register, membership);
    }

    /// <summary>The memberships the filter selects on the date (unordered); NOT_FOUND for a committee that does not exist.</summary>
    public async Task<MembershipsInRegister> ListAsync(MembershipFilter filter, DateOnly date, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (committeeId, personId, postId) = (filter.CommitteeId, filter.PersonId, filter.PostId);
        var heldPosts = personId is null ? [] : await db.Posts
            .Where(p => p.Holders.Any(h => h.PersonId == personId)).Select(p => p.Id).ToListAsync(cancellationToken);
        var committees = committeeId is null
            ? db.CommitteeAggregates.Where(c => c.Memberships.Any(m =>
                (personId == null || m.PersonId == personId || heldPosts.Contains(m.PostId!)) && (postId == null || m.PostId == postId)))
            : db.CommitteeAggregates.Where(c => c.Id == committeeId);
        var register = await store.LoadCommitteesAsync(committees, cancellationToken);
        if (committeeId is not null && register.FindCommittee(committeeId) is null)
        {
            throw new ResourceNotFoundException(ResourceNames.Committee.Format(committeeId));
        }

        var matching = register.Committees.SelectMany(c => c.Memberships).Where(m =>
            (filter.ShowEnded || m.PresenceOn(date) is not null)
            && (personId is null || m.PersonId == personId || (m.PersonId is null && register.FindPost(m.PostId)?.HolderOn(date) == personId))
            && (postId is null || m.PostId == postId)
            && (filter.Roles.Count == 0 || m.RolesOn(date).Roles.Any(filter.Roles.Contains)));
        return new(register, [.. matching]);
    }

    /// <summary>
    /// Corrects a recording error in a membership (not a change in the world, which is a decision's): the corrected
    /// record must name people and posts that exist and keep the committee's invariants; the correction is kept with
    /// its reason and the membership before and after, and the committee's compliance is evaluated again.
    /// </summary>
    public async Task<(Register Register, CommitteeMembership Membership)> CorrectAsync(
        string committeeId, string membershipId, Update<MembershipCorrectionFields> update, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var (register, committee) = await access.LoadCommitteeAsync(committeeId, cancellationToken);
        var membership = update.Open(
            committee.FindMembership(membershipId), ResourceNames.Membership.Format(committeeId, membershipId), m => m.Revision,
            _ => caller.EnsureCanWrite(committee.Jurisdiction));
        var today = clock.Today;
        var before = ContractMapper.Membership(register, membership, today);
        var (paths, values) = (update.Paths, update.Values);
        var corrected = new Holder(
            paths.Contains("person") ? values.PersonId : membership.PersonId,
            paths.Contains("post") ? values.PostId : membership.PostId);
        var current = membership.CurrentRoles;
        var newRoles = new RoleSet(values.Roles ?? [.. current.Roles], paths.Contains("other_role") ? values.OtherRole : current.OtherRole);
        await CheckCorrectionAsync(register, corrected, newRoles, cancellationToken);
        membership.Correct(
            corrected,
            paths.Contains("start_date") ? values.Start!.Value : membership.Start,
            paths.Contains("end_date") ? values.End : membership.End,
            paths.Contains("end_reason") ? values.EndReason : membership.EndReason,
            newRoles);
        CheckCorrectedInvariants(committee, membership);
        if (!current.SameAs(newRoles))
        {
            access.Emit(register, committee, new MembershipRolesChanged(
                committee.Id, membership.Id, current, newRoles, null, membership.RolePeriods[^1].Start));
        }

        // The record keeps the membership as the API showed it, before and after.
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
        return (register, membership);
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
