using Egov.Steering.Events.V1;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Compliance;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Mapping;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using DomainEvents = Egov.Steering.Membership.Domain.Decisions;
using TypesV1 = Egov.Steering.Types.V1;

namespace Egov.Steering.Membership.Events;

/// <summary>
/// What caused a batch of events: the correlation id shared by everything one request set off, and the id of the
/// event that caused them directly (the DecisionIssued). Empty for changes nothing outside caused (the daily rollover).
/// </summary>
public sealed record EventCause(string CorrelationId, string CausationId)
{
    public static readonly EventCause None = new("", "");

    public static EventCause Of(EventEnvelope cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        return new(cause.CorrelationId.Length > 0 ? cause.CorrelationId : cause.Id, cause.Id);
    }
}

/// <summary>
/// Membership's events in their contract form (<see cref="EventEnvelope"/>): the fine-grained committee, membership,
/// working-group and post events of an applied decision (aggregate = the committee or post, version = its new
/// version), the decision's outcome (aggregate "decisions/{d}/outcome", version 1) and compliance flips.
/// </summary>
public static class MembershipEvents
{
    public const string Source = "//membership.steering.egov.gov.vn";

    /// <summary>The contract form of a domain event, with the committee (or post) as of the change's effective date.</summary>
    public static EventEnvelope From(Register register, DomainEvent domainEvent, EventCause cause, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(domainEvent);
        if (domainEvent is DomainEvents.PostHolderChanged holderChanged)
        {
            return PostHolder(register, holderChanged, cause, now);
        }

        var @event = (CommitteeEvent)domainEvent;
        var committee = register.FindCommittee(@event.CommitteeId)
            ?? throw new InvalidOperationException($"committees/{@event.CommitteeId} of a {@event.GetType().Name} is not loaded");
        // Shown as of the day the change has surely happened (an imprecise date's last day; see UncertainDates).
        var date = @event.EffectiveDate.LastDay;
        var decision = ContractMapper.DecisionName(@event.DecisionId);
        var effective = ChangeMapper.ToProto(@event.EffectiveDate);
        var envelope = ForCommittee(committee, cause, now);
        envelope.AggregateVersion = @event.AggregateVersion;
        switch (@event)
        {
            case DomainEvents.CommitteeCreated:
                envelope.CommitteeCreated = new() { Committee = CommitteeOn(register, committee, date), Decision = decision };
                break;
            case DomainEvents.CommitteeUpdated updated:
                envelope.CommitteeUpdated = new()
                {
                    Committee = CommitteeOn(register, committee, date),
                    UpdateMask = new FieldMask { Paths = { updated.Field == CommitteeField.Mandate ? "mandate_topics" : "focal_agency" } },
                    EffectiveDate = effective,
                    Decision = decision,
                };
                break;
            case DomainEvents.CommitteeClericalUpdated clerical:
                envelope.CommitteeUpdated = new()
                {
                    Committee = CommitteeOn(register, committee, date),
                    UpdateMask = new FieldMask { Paths = { clerical.Paths } },
                };
                break;
            case DomainEvents.CommitteeRenamed renamed:
                envelope.CommitteeRenamed = new()
                {
                    Committee = committee.ResourceName,
                    PreviousDisplayName = renamed.PreviousDisplayName,
                    DisplayName = renamed.DisplayName,
                    EffectiveDate = effective,
                    Decision = decision,
                };
                break;
            case DomainEvents.CommitteeMerged merged:
                envelope.CommitteeMerged = new()
                {
                    Committee = committee.ResourceName,
                    Successor = "committees/" + merged.SuccessorId,
                    EffectiveDate = effective,
                    Decision = decision,
                };
                break;
            case DomainEvents.CommitteeDissolved:
                envelope.CommitteeDissolved = new() { Committee = committee.ResourceName, EffectiveDate = effective, Decision = decision };
                break;
            case DomainEvents.MembershipStarted started:
                envelope.MembershipStarted = new() { Membership = MembershipOn(register, committee, started.MembershipId, date) };
                break;
            case DomainEvents.MembershipReopened reopened:
                // Its planned end was revoked: to a reader of the contract the seat simply continues.
                envelope.MembershipStarted = new() { Membership = MembershipOn(register, committee, reopened.MembershipId, date) };
                break;
            case DomainEvents.MembershipEnded ended:
                // Who sat and in which roles on the last day in office, with the end that closes it.
                envelope.MembershipEnded = new()
                {
                    Membership = ContractMapper.Membership(register, committee.FindMembership(ended.MembershipId)!, date.AddDays(-1), withEnd: true),
                };
                break;
            case DomainEvents.MembershipRolesChanged changed:
                envelope.MembershipRolesChanged = new()
                {
                    Membership = MembershipOn(register, committee, changed.MembershipId, date),
                    PreviousRoles = { changed.PreviousRoles.Roles.Select(r => (TypesV1.MembershipRole)(int)r) },
                    PreviousOtherRole = changed.PreviousRoles.OtherRole ?? "",
                    EffectiveDate = effective,
                    Decision = decision,
                };
                break;
            case DomainEvents.WorkingGroupChanged groupChanged:
                var group = committee.FindWorkingGroup(groupChanged.WorkingGroupId)!;
                envelope.WorkingGroupChanged = new()
                {
                    WorkingGroup = ContractMapper.WorkingGroup(register, group, date),
                    Kind = (WorkingGroupChangeKind)(int)groupChanged.Change,
                    EffectiveDate = effective,
                    Decision = decision,
                };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(domainEvent), domainEvent.GetType().Name, "no contract event");
        }

        return Complete(envelope, SubjectOf(envelope));
    }

    /// <summary>
    /// DecisionApplied: the decision's one outcome, about its first subject (else first changed) committee, listing the
    /// version each aggregate reached through the decision's events (<paramref name="causedVersions"/>).
    /// </summary>
    public static EventEnvelope Applied(
        Register register, DecisionToApply decision, IReadOnlyList<string> committeeIds, IReadOnlyDictionary<string, long> causedVersions, EventCause cause, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(decision);
        var envelope = ForOutcome(register, decision.DecisionId, decision.SubjectCommitteeIds.Concat(committeeIds), decision.OwnerOrganisation, cause, now);
        envelope.DecisionApplied = new DecisionApplied
        {
            Decision = ContractMapper.DecisionName(decision.DecisionId),
            Committees = { committeeIds.Select(id => "committees/" + id) },
            AggregateVersions = { causedVersions.ToDictionary(StringComparer.Ordinal) },
        };
        return Complete(envelope, envelope.DecisionApplied.Decision);
    }

    /// <summary>DecisionRejected with every reason; <paramref name="decisionName"/> as the DecisionIssued carried it.</summary>
    public static EventEnvelope Rejected(
        Register register, string decisionName, IEnumerable<string> subjectIds, string owner, IReadOnlyList<Problem> problems, EventCause cause, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(decisionName);
        var decisionId = decisionName.StartsWith("decisions/", StringComparison.Ordinal) ? decisionName["decisions/".Length..] : decisionName;
        var envelope = ForOutcome(register, decisionId, subjectIds, owner, cause, now);
        envelope.DecisionRejected = new DecisionRejected
        {
            Decision = decisionName,
            Reasons = { ChangeMapper.ToProto(problems) },
        };
        return Complete(envelope, decisionName);
    }

    /// <summary>ComplianceChanged on the committee's aggregate; the caller has counted its version.</summary>
    public static EventEnvelope ComplianceChanged(
        Committee committee, ComplianceStatus? previous, CommitteeCompliance compliance, DateTime evaluatedAt, EventCause cause, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(committee);
        var envelope = ForCommittee(committee, cause, now);
        envelope.AggregateVersion = committee.Version;
        envelope.ComplianceChanged = new Egov.Steering.Events.V1.ComplianceChanged
        {
            Committee = committee.ResourceName,
            PreviousStatus = (Egov.Steering.Membership.V1.ComplianceStatus)(int)(previous ?? 0),
            Compliance = ContractMapper.Compliance(compliance, evaluatedAt),
        };
        return Complete(envelope, committee.ResourceName);
    }

    private static EventEnvelope PostHolder(Register register, DomainEvents.PostHolderChanged changed, EventCause cause, DateTime now)
    {
        var post = register.FindPost(changed.PostId)
            ?? throw new InvalidOperationException($"posts/{changed.PostId} of a PostHolderChanged is not loaded");
        var envelope = Start(cause, now);
        envelope.Aggregate = post.ResourceName;
        envelope.AggregateVersion = changed.AggregateVersion;
        envelope.Jurisdiction = post.Organisation;
        envelope.PostHolderChanged = new Egov.Steering.Events.V1.PostHolderChanged
        {
            Post = post.ResourceName,
            PostDisplayName = post.DisplayName,
            Person = changed.PersonId is { } person ? "people/" + person : "",
            PersonDisplayName = register.FindPerson(changed.PersonId)?.DisplayName ?? "",
            EffectiveDate = ChangeMapper.ToProto(changed.EffectiveDate),
            Decision = ContractMapper.DecisionName(changed.DecisionId),
            HolderNotRecorded = changed.HolderNotRecorded,
        };
        return Complete(envelope, post.ResourceName);
    }

    private static EventEnvelope ForCommittee(Committee committee, EventCause cause, DateTime now)
    {
        var envelope = Start(cause, now);
        envelope.Aggregate = committee.ResourceName;
        envelope.CommitteeLevel = (TypesV1.CommitteeLevel)(int)committee.Level;
        envelope.Jurisdiction = committee.Jurisdiction;
        envelope.Committee = committee.ResourceName;
        return envelope;
    }

    private static EventEnvelope ForOutcome(
        Register register, string decisionId, IEnumerable<string> committeeIds, string owner, EventCause cause, DateTime now)
    {
        var envelope = Start(cause, now);
        envelope.Aggregate = $"decisions/{decisionId}/outcome";
        envelope.AggregateVersion = 1;
        var committee = committeeIds.Select(register.FindCommittee).FirstOrDefault(c => c is not null);
        envelope.CommitteeLevel = committee is null ? TypesV1.CommitteeLevel.Unspecified : (TypesV1.CommitteeLevel)(int)committee.Level;
        envelope.Jurisdiction = committee?.Jurisdiction ?? owner;
        envelope.Committee = committee?.ResourceName ?? "";
        return envelope;
    }

    private static EventEnvelope Start(EventCause cause, DateTime now)
    {
        var id = Guid.CreateVersion7().ToString();
        return new EventEnvelope
        {
            Id = id,
            Source = Source,
            Time = Timestamp.FromDateTime(DateTime.SpecifyKind(now, DateTimeKind.Utc)),
            CorrelationId = cause.CorrelationId.Length > 0 ? cause.CorrelationId : id,
            CausationId = cause.CausationId,
        };
    }

    private static EventEnvelope Complete(EventEnvelope envelope, string subject)
    {
        var payload = (IMessage)EventEnvelope.Descriptor.Oneofs[0].Accessor.GetCaseFieldDescriptor(envelope)!.Accessor.GetValue(envelope);
        envelope.Type = payload.Descriptor.FullName;
        envelope.Subject = subject;
        return envelope;
    }

    private static string SubjectOf(EventEnvelope envelope) => envelope.EventCase switch
    {
        EventEnvelope.EventOneofCase.MembershipStarted => envelope.MembershipStarted.Membership.Name,
        EventEnvelope.EventOneofCase.MembershipEnded => envelope.MembershipEnded.Membership.Name,
        EventEnvelope.EventOneofCase.MembershipRolesChanged => envelope.MembershipRolesChanged.Membership.Name,
        EventEnvelope.EventOneofCase.WorkingGroupChanged => envelope.WorkingGroupChanged.WorkingGroup.Name,
        _ => envelope.Committee,
    };

    private static Egov.Steering.Membership.V1.Committee CommitteeOn(Register register, Committee committee, DateOnly date) =>
        ContractMapper.Committee(register, register.AsOf(committee, date), null);

    private static Egov.Steering.Membership.V1.CommitteeMembership MembershipOn(Register register, Committee committee, string membershipId, DateOnly date) =>
        ContractMapper.Membership(register, committee.FindMembership(membershipId)!, date);
}
