using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using static Egov.Steering.Membership.Tests.Domain.Scenario;

namespace Egov.Steering.Membership.Tests.Domain;

/// <summary>
/// What the register knows, and until when: an imprecise date is a period bounded by the legal basis, a committee
/// first recorded by a consolidation has no known founding, and each committee says up to when a source confirms it.
/// </summary>
public class DatesTests
{
    private readonly Scenario scenario = new();

    [Theory]
    [InlineData(2020, 5, 25, null)]
    [InlineData(2020, 5, 26, Certainty.Uncertain)]
    [InlineData(2020, 12, 30, Certainty.Uncertain)]
    [InlineData(2020, 12, 31, Certainty.Certain)]
    public void A_seat_dated_only_by_year_is_uncertain_inside_the_year_and_not_before_its_legal_basis(int year, int month, int day, Certainty? expected)
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("d701", D(2020, 5, 26), "national"));
        scenario.Apply(Decision("bo-sung", CivilDate.OfYear(2020), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PostSeat("giam-doc-sxd-gia-lai"), MembershipRole.Member))) with
        {
            LegalBasisDecisionIds = ["d701"],
        });

        var asOf = scenario.AsOf("bcd-gia-lai", On(year, month, day));

        var seat = asOf.Seats.SingleOrDefault(s => s.Post?.Id == "giam-doc-sxd-gia-lai");
        Assert.Equal(expected, seat?.Certainty);
        Assert.Equal(expected == Certainty.Certain ? 2 : 1, asOf.MemberCount);
        Assert.Equal(expected == Certainty.Uncertain ? 1 : 0, asOf.UncertainMemberCount);
    }

    [Fact]
    public void Without_a_recorded_legal_basis_the_whole_period_is_uncertain()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("bo-sung", CivilDate.OfMonth(2020, 6), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PostSeat("giam-doc-sxd-gia-lai"), MembershipRole.Member))));

        var membership = scenario.Register.FindCommittee("bcd-gia-lai")!.Memberships.Single(m => m.PostId == "giam-doc-sxd-gia-lai");

        Assert.Null(membership.StartNotBefore);
        Assert.Null(membership.PresenceOn(On(2020, 5, 31)));
        Assert.Equal(MembershipState.Upcoming, membership.StateOn(On(2020, 5, 31)));
        Assert.Equal(Certainty.Uncertain, membership.PresenceOn(On(2020, 6, 1)));
        Assert.Equal(Certainty.Certain, membership.PresenceOn(On(2020, 6, 30)));
    }

    [Fact]
    public void An_end_dated_only_by_month_leaves_the_seat_uncertain_in_that_month_and_ended_after()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("relieve", CivilDate.OfMonth(2021, 3), GiaLai,
            new Relieve("changes[0].relieve", null, new MembershipTarget("bcd-gia-lai", null, PostSeat("chu-tich-gia-lai")), "Nghỉ hưu")));

        var chair = scenario.Register.FindCommittee("bcd-gia-lai")!.Memberships.Single();

        Assert.Equal(Certainty.Certain, chair.PresenceOn(On(2021, 2, 28)));
        Assert.Equal(Certainty.Uncertain, chair.PresenceOn(On(2021, 3, 15)));
        Assert.Equal(MembershipState.Active, chair.StateOn(On(2021, 3, 15)));
        Assert.False(chair.EndKnownOn(On(2021, 2, 28)));
        Assert.True(chair.EndKnownOn(On(2021, 3, 15)));
        Assert.Null(chair.PresenceOn(On(2021, 3, 31)));
        Assert.Equal(MembershipState.Ended, chair.StateOn(On(2021, 3, 31)));
    }

    [Fact]
    public void A_committee_first_recorded_by_a_consolidation_existed_before_it_with_its_founding_unknown()
    {
        scenario.Apply(Decision("d337", D(2019, 6, 20), GiaLai, EstablishGiaLai() with { AlreadyExisted = true }));

        var committee = scenario.Register.FindCommittee("bcd-gia-lai")!;

        Assert.Null(committee.FoundingDate);
        Assert.Null(committee.FoundingDecisionId);
        Assert.Equal(D(2019, 6, 20), committee.RecordStart);
        Assert.Equal(CommitteeState.NotRecorded, committee.StateOn(On(2019, 6, 19)));
        Assert.Same(committee, scenario.Register.CommitteeOf(GiaLai, On(2019, 6, 19)));
        Assert.Equal(CommitteeState.Active, committee.StateOn(On(2019, 6, 20)));
        Assert.Empty(committee.MandateOn(On(2019, 6, 19)));
        Assert.Equal([MandateTopic.EGovernment], committee.MandateOn(On(2019, 6, 20)));
    }

    [Fact]
    public void A_record_started_by_a_decision_known_only_by_year_is_not_recorded_until_the_years_end()
    {
        scenario.Apply(Decision("kien-toan", CivilDate.OfYear(2020), GiaLai, EstablishGiaLai() with { AlreadyExisted = true }));

        var committee = scenario.Register.FindCommittee("bcd-gia-lai")!;

        Assert.Equal(CommitteeState.NotRecorded, committee.StateOn(On(2020, 12, 30)));
        Assert.Equal(CommitteeState.Active, committee.StateOn(On(2020, 12, 31)));
    }

    [Fact]
    public void Reads_after_the_latest_recorded_decision_say_the_record_is_not_confirmed_then()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("bo-sung", CivilDate.OfYear(2020), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PostSeat("giam-doc-sxd-gia-lai"), MembershipRole.Member))));

        var committee = scenario.Register.FindCommittee("bcd-gia-lai")!;

        Assert.Equal(CivilDate.OfYear(2020), committee.ConfirmedThrough());
        Assert.False(committee.BeyondConfirmedRecordOn(On(2020, 12, 31)));
        Assert.True(committee.BeyondConfirmedRecordOn(On(2021, 1, 1)));
        Assert.True(scenario.AsOf("bcd-gia-lai", On(2026, 1, 1)).BeyondConfirmedRecord);
    }

    [Fact]
    public void An_ended_committee_is_not_beyond_its_record()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("giai-the", D(2021, 1, 1), GiaLai, new DissolveCommittee("changes[0].dissolve_committee", null, "bcd-gia-lai")));

        Assert.False(scenario.Register.FindCommittee("bcd-gia-lai")!.BeyondConfirmedRecordOn(On(2026, 1, 1)));
    }
}
