using Egov.Steering.Events.V1;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Events;
using Egov.Steering.Membership.Tests.Domain;
using static Egov.Steering.Membership.Tests.Domain.Scenario;
using Case = Egov.Steering.Events.V1.EventEnvelope.EventOneofCase;
using ContractRole = Egov.Steering.Types.V1.MembershipRole;

namespace Egov.Steering.Membership.Tests.Events;

/// <summary>How the register's domain events become contract events: aggregate and version, cause, routing, dates.</summary>
public sealed class MembershipEventsTests
{
    private static readonly DateTime Now = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    private static readonly EventCause Cause = new("request-1", "issued-1");
    private readonly Scenario scenario = new();

    [Fact]
    public void A_founding_decision_becomes_committee_and_post_events_on_their_own_aggregates_with_the_cause()
    {
        var outcome = scenario.Apply(Decision("d337", D(2019, 6, 20), GiaLai,
            EstablishGiaLai(),
            new AssignPostHolder("changes[1].assign_post_holder", null, "chu-tich-gia-lai", "vo-ngoc-thanh"),
            new Appoint("changes[2].appoint", null, "bcd-gia-lai", Seat(PostSeat("chu-tich-gia-lai"), MembershipRole.Chair))));

        var events = Map(outcome);

        Assert.Equal([Case.CommitteeCreated, Case.PostHolderChanged, Case.MembershipStarted], events.Select(e => e.EventCase));
        Assert.Equal(["committees/bcd-gia-lai", "posts/chu-tich-gia-lai", "committees/bcd-gia-lai"], events.Select(e => e.Aggregate));
        Assert.Equal([1L, 1, 2], events.Select(e => e.AggregateVersion));
        Assert.All(events, e =>
        {
            Assert.True(Guid.TryParse(e.Id, out _));
            Assert.Equal("request-1", e.CorrelationId);
            Assert.Equal("issued-1", e.CausationId);
            Assert.Equal(GiaLai, e.Jurisdiction);
            Assert.Equal(Now, e.Time.ToDateTime());
            Assert.Equal("egov.steering.events.v1." + e.EventCase, e.Type);
        });
        Assert.Equal(Egov.Steering.Types.V1.CommitteeLevel.Province, events[0].CommitteeLevel);
        Assert.Equal(Egov.Steering.Types.V1.CommitteeLevel.Unspecified, events[1].CommitteeLevel);

        var created = events[0].CommitteeCreated;
        Assert.Equal("decisions/d337", created.Decision);
        Assert.Equal("Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai", created.Committee.DisplayName);
        Assert.Equal("Võ Ngọc Thành", events[1].PostHolderChanged.PersonDisplayName);
        var membership = events[2].MembershipStarted.Membership;
        Assert.Equal("committees/bcd-gia-lai/memberships/1", events[2].Subject);
        Assert.Equal("Võ Ngọc Thành", membership.PersonDisplayName);
        Assert.Equal([ContractRole.Chair], membership.Roles);
        Assert.Equal(2019, membership.StartDate.Year);
    }

    [Fact]
    public void Later_changes_say_when_they_take_effect_and_who_sat_until_then()
    {
        scenario.FoundGiaLai();
        var chair = new MembershipTarget("bcd-gia-lai", "1", null);
        var outcome = scenario.Apply(Decision("d2", D(2021, 3, 1), GiaLai,
            new SetMandate("changes[0].set_mandate", null, "bcd-gia-lai", [MandateTopic.DigitalTransformation]),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.Member)),
            new ChangeRoles("changes[2].change_roles", D(2021, 4, 1), new MembershipTarget("bcd-gia-lai", "2", null), RoleSet.Of(MembershipRole.StandingMember, MembershipRole.Secretary)),
            new Relieve("changes[3].relieve", D(2021, 5, 1), chair, "nghỉ hưu")));

        var events = Map(outcome);

        Assert.Equal([Case.CommitteeUpdated, Case.MembershipStarted, Case.MembershipRolesChanged, Case.MembershipEnded], events.Select(e => e.EventCase));
        Assert.Equal([3L, 4, 5, 6], events.Select(e => e.AggregateVersion));
        var updated = events[0].CommitteeUpdated;
        Assert.Equal(["mandate_topics"], updated.UpdateMask.Paths);
        Assert.Equal(ChangeMapperDate(2021, 3, 1), updated.EffectiveDate);
        Assert.Equal([Egov.Steering.Types.V1.MandateTopic.DigitalTransformation], updated.Committee.MandateTopics);
        var roles = events[2].MembershipRolesChanged;
        Assert.Equal([ContractRole.Member], roles.PreviousRoles);
        Assert.Equal([ContractRole.StandingMember, ContractRole.Secretary], roles.Membership.Roles.Order());
        Assert.Equal(ChangeMapperDate(2021, 4, 1), roles.EffectiveDate);
        var ended = events[3].MembershipEnded.Membership;
        Assert.Equal(ChangeMapperDate(2021, 5, 1), ended.EndDate);
        Assert.Equal("decisions/d2", ended.EndingDecision);
        Assert.Equal("nghỉ hưu", ended.EndReason);
        Assert.Equal([ContractRole.Chair], ended.Roles);
    }

    [Fact]
    public void The_outcome_is_version_one_of_the_decision_outcome_aggregate()
    {
        var decision = Decision("d337", D(2019, 6, 20), GiaLai, EstablishGiaLai());
        var outcome = scenario.Apply(decision);

        var applied = MembershipEvents.Applied(
            scenario.Register, decision, outcome.AffectedCommitteeIds, new Dictionary<string, long> { ["committees/bcd-gia-lai"] = 3 }, Cause, Now);
        var rejected = MembershipEvents.Rejected(new Register(), "decisions/d9", [], BinhDinh,
            [new Problem("changes[0]", "MISSING_CHANGE", "a"), new Problem("effective_date", "MISSING_DATE", "b")], Cause, Now);

        Assert.Equal(("decisions/d337/outcome", 1L), (applied.Aggregate, applied.AggregateVersion));
        Assert.Equal(["committees/bcd-gia-lai"], applied.DecisionApplied.Committees);
        Assert.Equal(3, applied.DecisionApplied.AggregateVersions["committees/bcd-gia-lai"]);
        Assert.Equal((GiaLai, "committees/bcd-gia-lai"), (applied.Jurisdiction, applied.Committee));
        Assert.Equal(("decisions/d9/outcome", 1L, "decisions/d9"), (rejected.Aggregate, rejected.AggregateVersion, rejected.Subject));
        Assert.Equal(["MISSING_CHANGE", "MISSING_DATE"], rejected.DecisionRejected.Reasons.Select(r => r.Reason));
        Assert.Equal(BinhDinh, rejected.Jurisdiction); // no committee known: the deciding organisation
    }

    [Fact]
    public void An_event_without_a_correlation_starts_its_own()
    {
        var cause = EventCause.Of(new EventEnvelope { Id = "issued-2" });
        Assert.Equal(new EventCause("issued-2", "issued-2"), cause);

        scenario.FoundGiaLai();
        var committee = scenario.Register.FindCommittee("bcd-gia-lai")!;
        var compliance = new Egov.Steering.Membership.Domain.Compliance.CommitteeCompliance(ComplianceStatus.Compliant, []);
        var changed = MembershipEvents.ComplianceChanged(committee, null, compliance, Now, EventCause.None, Now);

        Assert.Equal(changed.Id, changed.CorrelationId);
        Assert.Equal("", changed.CausationId);
        Assert.Equal(committee.Version, changed.AggregateVersion);
        Assert.Equal(Egov.Steering.Membership.V1.ComplianceStatus.Unspecified, changed.ComplianceChanged.PreviousStatus);
    }

    private IReadOnlyList<EventEnvelope> Map(DecisionOutcome outcome) =>
        [.. outcome.Events.Select(e => MembershipEvents.From(scenario.Register, e, Cause, Now))];

    private static Egov.Steering.Types.V1.CivilDate ChangeMapperDate(int year, int month, int day) =>
        Egov.Steering.Membership.Mapping.ChangeMapper.ToProto(D(year, month, day));
}
