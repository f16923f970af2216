using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using static Egov.Steering.Membership.Tests.Domain.Scenario;

namespace Egov.Steering.Membership.Tests.Domain;

public class DecisionEngineTests
{
    private readonly Scenario scenario = new();

    [Fact]
    public void Establishing_and_appointing_shows_the_committee_from_its_founding_day_only()
    {
        var committee = scenario.FoundGiaLai();

        Assert.Equal(CommitteeState.Planned, committee.StateOn(On(2019, 6, 19)));
        Assert.Empty(scenario.AsOf("bcd-gia-lai", On(2019, 6, 19)).Seats);
        var founded = scenario.AsOf("bcd-gia-lai", On(2019, 6, 20));
        Assert.Equal(CommitteeState.Active, founded.State);
        Assert.Equal("chu-tich-gia-lai", founded.Chair?.Post?.Id);
        Assert.Equal([MandateTopic.EGovernment], founded.Mandate);
        Assert.Equal("Sở Thông tin và Truyền thông tỉnh Gia Lai", founded.FocalAgency?.DisplayName);
        Assert.Equal(2, committee.Version);
    }

    [Fact]
    public void Events_come_in_order_with_the_committee_version_they_produced()
    {
        var outcome = DecisionEngine.Apply(scenario.Register, Decision("d337", D(2019, 6, 20), GiaLai,
            EstablishGiaLai(),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PostSeat("chu-tich-gia-lai"), MembershipRole.Chair))));

        Assert.Collection(
            outcome.Events,
            e => Assert.Equal((typeof(CommitteeCreated), 1L), (e.GetType(), e.AggregateVersion)),
            e => Assert.Equal((typeof(MembershipStarted), 2L), (e.GetType(), e.AggregateVersion)));
        Assert.Equal(["bcd-gia-lai"], outcome.AffectedCommitteeIds);
    }

    [Fact]
    public void A_second_chair_on_overlapping_dates_is_refused()
    {
        scenario.FoundGiaLai();

        var outcome = DecisionEngine.Apply(scenario.Register, Decision("d2", D(2020, 1, 1), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("nguyen-van-a"), MembershipRole.Chair))));

        var problem = Assert.Single(outcome.Problems);
        Assert.Equal(("changes[0].appoint.entry", "SECOND_CHAIR"), (problem.Field, problem.Reason));
        Assert.Contains("Chủ tịch UBND tỉnh Gia Lai", problem.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_chair_from_the_day_the_old_one_is_relieved_is_accepted()
    {
        scenario.FoundGiaLai();

        scenario.Apply(Decision("d2", D(2020, 1, 1), GiaLai,
            new Relieve("changes[0].relieve", null, new MembershipTarget("bcd-gia-lai", null, PostSeat("chu-tich-gia-lai")), "Chuyển công tác"),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PersonSeat("nguyen-van-a"), MembershipRole.Chair))));

        Assert.Equal("chu-tich-gia-lai", scenario.AsOf("bcd-gia-lai", On(2019, 12, 31)).Chair?.Post?.Id);
        Assert.Equal("nguyen-van-a", scenario.AsOf("bcd-gia-lai", On(2020, 1, 1)).Chair?.Membership.PersonId);
    }

    [Fact]
    public void The_same_person_or_post_cannot_hold_two_memberships_at_once()
    {
        scenario.FoundGiaLai();

        var outcome = DecisionEngine.Apply(scenario.Register, Decision("d2", D(2020, 1, 1), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PostSeat("chu-tich-gia-lai"), MembershipRole.Member)),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.Member)),
            new Appoint("changes[2].appoint", null, "bcd-gia-lai", Seat(new Holder("tran-thi-b", "giam-doc-sxd-gia-lai"), MembershipRole.Member))));

        Assert.Equal(
            [("changes[0].appoint.entry", "ALREADY_A_MEMBER"), ("changes[2].appoint.entry", "ALREADY_A_MEMBER")],
            outcome.Problems.Select(p => (p.Field, p.Reason)));
    }

    [Fact]
    public void Every_problem_is_reported_at_once_with_its_field_path()
    {
        scenario.FoundGiaLai();

        var outcome = DecisionEngine.Apply(scenario.Register, Decision("d2", D(2020, 1, 1), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("nobody"), MembershipRole.Member)),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PostSeat("no-post"), MembershipRole.Other)),
            new Appoint("changes[2].appoint", null, "no-committee", Seat(PersonSeat("tran-thi-b"), MembershipRole.Member)),
            new Relieve("changes[3].relieve", null, new MembershipTarget("bcd-gia-lai", null, PersonSeat("tran-thi-b")), null)));

        Assert.Equal(
            [
                ("changes[0].appoint.entry.holder.person", "UNKNOWN_PERSON"),
                ("changes[1].appoint.entry.holder.post", "UNKNOWN_POST"),
                ("changes[1].appoint.entry.roles", "MISSING_OTHER_ROLE"),
                ("changes[2].appoint.committee", "UNKNOWN_COMMITTEE"),
                ("changes[3].relieve.holder", "NOT_A_MEMBER"),
            ],
            outcome.Problems.Select(p => (p.Field, p.Reason)));
        Assert.Equal(DecisionResult.Rejected, outcome.Result);
        Assert.Empty(outcome.Events);
    }

    [Fact]
    public void A_decision_failing_half_way_applies_nothing()
    {
        var committee = scenario.FoundGiaLai();
        var versionBefore = committee.Version;

        var outcome = DecisionEngine.Apply(scenario.Register, Decision("d2", D(2020, 1, 1), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.StandingMember)),
            new RenameCommittee("changes[1].rename_committee", null, "bcd-gia-lai", "Ban chỉ đạo chuyển đổi số tỉnh Gia Lai"),
            new Relieve("changes[2].relieve", D(2019, 1, 1), new MembershipTarget("bcd-gia-lai", null, PostSeat("chu-tich-gia-lai")), null)));

        Assert.Equal(DecisionResult.Rejected, outcome.Result);
        Assert.Equal("BEFORE_COMMITTEE_FOUNDED", Assert.Single(outcome.Problems).Reason);
        Assert.Single(committee.Memberships);
        Assert.Single(committee.Names);
        Assert.Equal(versionBefore, committee.Version);
        Assert.False(scenario.Register.IsApplied("d2"));
    }

    [Fact]
    public void Relieving_before_the_membership_started_is_refused()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("d2", D(2020, 6, 1), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.Member))));

        var outcome = DecisionEngine.Apply(scenario.Register, Decision("d3", D(2020, 3, 1), GiaLai,
            new Relieve("changes[0].relieve", null, new MembershipTarget("bcd-gia-lai", "2", null), null)));

        Assert.Equal(("changes[0].relieve", "DATES_OUT_OF_ORDER"), (outcome.Problems[0].Field, outcome.Problems[0].Reason));
    }

    [Fact]
    public void Relieving_sets_the_end_date_and_keeps_the_history()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("d2", D(2020, 6, 1), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.Member))));

        scenario.Apply(Decision("d3", D(2021, 3, 1), GiaLai,
            new Relieve("changes[0].relieve", null, new MembershipTarget("bcd-gia-lai", "2", null), "Nghỉ hưu")));

        var membership = scenario.Register.FindCommittee("bcd-gia-lai")!.FindMembership("2")!;
        Assert.Equal((D(2020, 6, 1), D(2021, 3, 1), "d2", "d3", "Nghỉ hưu"),
            (membership.Start, membership.End!.Value, membership.AppointingDecisionId, membership.EndingDecisionId, membership.EndReason));
        Assert.Equal(MembershipState.Active, membership.StateOn(On(2021, 2, 28)));
        Assert.Equal(MembershipState.Ended, membership.StateOn(On(2021, 3, 1)));
    }

    [Fact]
    public void Changing_roles_keeps_the_earlier_roles_in_history()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("d2", D(2020, 6, 1), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PostSeat("giam-doc-stttt-gia-lai"), MembershipRole.Member))));

        var outcome = scenario.Apply(Decision("d3", D(2021, 1, 1), GiaLai,
            new ChangeRoles("changes[0].change_roles", null, new MembershipTarget("bcd-gia-lai", null, PostSeat("giam-doc-stttt-gia-lai")),
                RoleSet.Of(MembershipRole.StandingMember, MembershipRole.Secretary))));

        var membership = scenario.Register.FindCommittee("bcd-gia-lai")!.FindMembership("2")!;
        Assert.Equal([MembershipRole.Member], membership.RolesOn(On(2020, 12, 31)).Roles);
        Assert.Equal([MembershipRole.StandingMember, MembershipRole.Secretary], membership.RolesOn(On(2021, 1, 1)).Roles);
        var changed = Assert.IsType<MembershipRolesChanged>(Assert.Single(outcome.Events));
        Assert.Equal([MembershipRole.Member], changed.PreviousRoles.Roles);
    }

    [Fact]
    public void Set_roster_relieves_the_absent_appoints_the_new_and_keeps_unchanged_members_history()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("d2", D(2020, 1, 1), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PostSeat("giam-doc-sxd-gia-lai"), MembershipRole.Member)),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.Member))));

        var outcome = scenario.Apply(Decision("d3", D(2020, 9, 1), GiaLai,
            new SetRoster("changes[0].set_roster", null, "bcd-gia-lai",
            [
                Seat(PostSeat("chu-tich-gia-lai"), MembershipRole.Chair),
                Seat(PostSeat("giam-doc-sxd-gia-lai"), MembershipRole.StandingMember),
                Seat(PostSeat("giam-doc-stttt-gia-lai"), MembershipRole.StandingMember, MembershipRole.Secretary),
            ], "Kiện toàn")));

        var committee = scenario.Register.FindCommittee("bcd-gia-lai")!;
        var chair = committee.FindMembership("1")!;
        Assert.Equal((D(2019, 6, 20), (CivilDate?)null, 1), (chair.Start, chair.End, chair.RolePeriods.Count));
        var director = committee.FindMembership("2")!;
        Assert.Equal((D(2020, 1, 1), 2), (director.Start, director.RolePeriods.Count));
        Assert.Equal([MembershipRole.Member], director.RolesOn(On(2020, 8, 31)).Roles);
        Assert.Equal([MembershipRole.StandingMember], director.RolesOn(On(2020, 9, 1)).Roles);
        var relieved = committee.FindMembership("3")!;
        Assert.Equal((D(2020, 9, 1), "Kiện toàn"), (relieved.End!.Value, relieved.EndReason));
        Assert.Equal(3, scenario.AsOf("bcd-gia-lai", On(2020, 9, 1)).Seats.Count);
        Assert.Equal(
            [typeof(MembershipEnded), typeof(MembershipRolesChanged), typeof(MembershipStarted)],
            outcome.Events.Select(e => e.GetType()));
    }

    [Fact]
    public void A_roster_dated_before_a_listed_member_starts_is_refused()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("d2", D(2021, 1, 1), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.Member))));

        var outcome = DecisionEngine.Apply(scenario.Register, Decision("d3", D(2020, 9, 1), GiaLai,
            new SetRoster("changes[0].set_roster", null, "bcd-gia-lai",
                [Seat(PostSeat("chu-tich-gia-lai"), MembershipRole.Chair), Seat(PersonSeat("tran-thi-b"), MembershipRole.Member)], null)));

        Assert.Equal(("changes[0].set_roster", "DATES_OUT_OF_ORDER"), (outcome.Problems[0].Field, outcome.Problems[0].Reason));
    }

    [Fact]
    public void A_rename_keeps_the_old_name_for_earlier_dates()
    {
        scenario.FoundGiaLai();

        var outcome = scenario.Apply(Decision("d2", D(2021, 3, 1), GiaLai,
            new RenameCommittee("changes[0].rename_committee", null, "bcd-gia-lai", "Ban chỉ đạo chuyển đổi số tỉnh Gia Lai"),
            new SetMandate("changes[1].set_mandate", null, "bcd-gia-lai", [MandateTopic.DigitalTransformation, MandateTopic.EGovernment]),
            new SetFocalAgency("changes[2].set_focal_agency", null, "bcd-gia-lai", new FocalAgency("Văn phòng UBND tỉnh Gia Lai", null))));

        var before = scenario.AsOf("bcd-gia-lai", On(2021, 2, 28));
        var after = scenario.AsOf("bcd-gia-lai", On(2021, 3, 1));
        Assert.Equal("Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai", before.DisplayName);
        Assert.Equal("Ban chỉ đạo chuyển đổi số tỉnh Gia Lai", after.DisplayName);
        Assert.Equal([MandateTopic.EGovernment], before.Mandate);
        Assert.Equal([MandateTopic.EGovernment, MandateTopic.DigitalTransformation], after.Mandate);
        Assert.Equal("Văn phòng UBND tỉnh Gia Lai", after.FocalAgency?.DisplayName);
        var renamed = Assert.IsType<CommitteeRenamed>(outcome.Events[0]);
        Assert.Equal("Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai", renamed.PreviousDisplayName);
    }

    [Fact]
    public void A_change_dated_before_the_latest_one_would_rewrite_history_and_is_refused()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("d2", D(2021, 3, 1), GiaLai,
            new RenameCommittee("changes[0].rename_committee", null, "bcd-gia-lai", "Ban chỉ đạo chuyển đổi số tỉnh Gia Lai")));

        var outcome = DecisionEngine.Apply(scenario.Register, Decision("d3", D(2020, 3, 1), GiaLai,
            new RenameCommittee("changes[0].rename_committee", null, "bcd-gia-lai", "Tên khác")));

        Assert.Equal("HISTORY_REWRITE", Assert.Single(outcome.Problems).Reason);
    }

    [Fact]
    public void Ex_officio_seats_resolve_to_the_post_holder_of_each_date()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("d-holder-1", D(2016, 1, 1), GiaLai,
            new AssignPostHolder("changes[0].assign_post_holder", null, "chu-tich-gia-lai", "vo-ngoc-thanh")));
        scenario.Apply(Decision("d-holder-2", D(2020, 11, 1), GiaLai,
            new AssignPostHolder("changes[0].assign_post_holder", null, "chu-tich-gia-lai", "truong-hai-long")));

        Assert.Equal("Võ Ngọc Thành", scenario.AsOf("bcd-gia-lai", On(2020, 10, 31)).Chair?.Person?.DisplayName);
        Assert.Equal("Trương Hải Long", scenario.AsOf("bcd-gia-lai", On(2020, 11, 1)).Chair?.Person?.DisplayName);
        var post = scenario.Register.FindPost("chu-tich-gia-lai")!;
        Assert.Equal(D(2020, 11, 1), post.Holders[0].End);
    }

    [Fact]
    public void A_vacant_post_seats_nobody_but_keeps_the_membership()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("d-holder", D(2019, 1, 1), GiaLai,
            new AssignPostHolder("changes[0].assign_post_holder", null, "chu-tich-gia-lai", "vo-ngoc-thanh")));
        scenario.Apply(Decision("d-vacant", D(2020, 7, 1), GiaLai,
            new AssignPostHolder("changes[0].assign_post_holder", null, "chu-tich-gia-lai", null)));

        var chair = scenario.AsOf("bcd-gia-lai", On(2020, 7, 1)).Chair;
        Assert.NotNull(chair);
        Assert.Null(chair.Person);
    }

    [Fact]
    public void Working_groups_are_established_changed_and_dissolved_over_time()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("d337-tgv", D(2019, 6, 20), GiaLai,
            new EstablishWorkingGroup("changes[0].establish_working_group", null, "bcd-gia-lai", "to-giup-viec", "Tổ giúp việc", null,
            [
                new GroupSeat(PostSeat("giam-doc-stttt-gia-lai"), WorkingGroupRole.Leader),
                new GroupSeat(PersonSeat("tran-thi-b"), WorkingGroupRole.Member),
            ])));
        scenario.Apply(Decision("d-tgv-2", D(2020, 1, 1), GiaLai,
            new SetWorkingGroupMembers("changes[0].set_working_group_members", null, "bcd-gia-lai", "to-giup-viec",
            [
                new GroupSeat(PostSeat("giam-doc-stttt-gia-lai"), WorkingGroupRole.Leader),
                new GroupSeat(PersonSeat("nguyen-van-a"), WorkingGroupRole.DeputyLeader),
            ])));
        scenario.Apply(Decision("d-tgv-3", D(2021, 1, 1), GiaLai,
            new DissolveWorkingGroup("changes[0].dissolve_working_group", null, "bcd-gia-lai", "to-giup-viec")));

        string[] Members(DateOnly date) => [.. scenario.AsOf("bcd-gia-lai", date).WorkingGroups.SelectMany(g => g.Seats).Select(s => s.Seat.PersonId ?? s.Seat.PostId!)];
        Assert.Equal(["giam-doc-stttt-gia-lai", "tran-thi-b"], Members(On(2019, 12, 31)));
        Assert.Equal(["giam-doc-stttt-gia-lai", "nguyen-van-a"], Members(On(2020, 1, 1)));
        Assert.Empty(Members(On(2021, 1, 1)));
        var leaderSeats = scenario.Register.FindCommittee("bcd-gia-lai")!.WorkingGroups[0].Seats.Where(s => s.PostId is not null);
        Assert.Equal(D(2019, 6, 20), Assert.Single(leaderSeats).Start);
    }

    [Fact]
    public void A_working_groups_members_are_listed_as_committee_seats_are_by_role_then_by_name_in_vietnamese_order()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("d337-tgv", D(2019, 6, 20), GiaLai,
            new EstablishWorkingGroup("changes[0].establish_working_group", null, "bcd-gia-lai", "to-giup-viec", "Tổ giúp việc", null,
            [
                new GroupSeat(PersonSeat("vo-ngoc-thanh"), WorkingGroupRole.Member),
                new GroupSeat(PersonSeat("tran-thi-b"), WorkingGroupRole.Member),
                new GroupSeat(PostSeat("giam-doc-stttt-gia-lai"), WorkingGroupRole.Leader),
                new GroupSeat(PersonSeat("ho-phuoc-thanh"), WorkingGroupRole.Member),
            ])));

        var group = Assert.Single(scenario.AsOf("bcd-gia-lai", On(2020, 1, 1)).WorkingGroups);

        // Hồ < Trần < Võ: the members after the leader in Vietnamese name order, not in the order the decision named them.
        Assert.Equal(["giam-doc-stttt-gia-lai", "ho-phuoc-thanh", "tran-thi-b", "vo-ngoc-thanh"], group.Seats.Select(s => s.Seat.PersonId ?? s.Seat.PostId!));
        Assert.Equal(group.Seats, scenario.Register.WorkingGroupOn(group.Group, On(2020, 1, 1)).Seats);
    }

    [Fact]
    public void The_2025_merger_ends_gia_lai_64_and_binh_dinh_and_reads_before_it_still_answer_as_of_then()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("d-bd", D(2019, 3, 1), BinhDinh,
            new EstablishCommittee("changes[0].establish_committee", null, "bcd-binh-dinh", "Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Bình Định",
                CommitteeLevel.Province, BinhDinh, null, [MandateTopic.EGovernment], null),
            new Appoint("changes[1].appoint", null, "bcd-binh-dinh", Seat(PostSeat("chu-tich-binh-dinh"), MembershipRole.Chair))));

        var merger = scenario.Apply(new DecisionToApply("d-merge", "1/QĐ-TTg", D(2025, 7, 1), [DecisionKind.Merge, DecisionKind.Establish], [], "national",
        [
            new EstablishCommittee("changes[0].establish_committee", null, "bcd-gia-lai-2025", "Ban chỉ đạo chuyển đổi số tỉnh Gia Lai",
                CommitteeLevel.Province, NewGiaLai, null, [MandateTopic.DigitalTransformation], null),
            new MergeCommittees("changes[1].merge_committees", null, ["bcd-gia-lai", "bcd-binh-dinh"], "bcd-gia-lai-2025"),
            new Appoint("changes[2].appoint", null, "bcd-gia-lai-2025", Seat(PostSeat("chu-tich-gia-lai-2025"), MembershipRole.Chair)),
        ]));

        var old = scenario.Register.FindCommittee("bcd-gia-lai")!;
        Assert.Equal(CommitteeState.Active, old.StateOn(On(2025, 6, 30)));
        Assert.Equal("chu-tich-gia-lai", scenario.AsOf("bcd-gia-lai", On(2025, 6, 30)).Chair?.Post?.Id);
        Assert.Equal(CommitteeState.Merged, old.StateOn(On(2025, 7, 1)));
        Assert.Equal("bcd-gia-lai-2025", old.SuccessorId);
        Assert.Empty(scenario.AsOf("bcd-gia-lai", On(2025, 7, 1)).Seats);
        Assert.Equal(["bcd-binh-dinh", "bcd-gia-lai"], scenario.Register.PredecessorsOf("bcd-gia-lai-2025").Select(c => c.Id).Order());
        Assert.Equal("bcd-gia-lai", scenario.Register.CommitteeOf(GiaLai, On(2025, 6, 30))?.Id);
        Assert.Null(scenario.Register.CommitteeOf(GiaLai, On(2025, 7, 1)));
        Assert.Equal("bcd-gia-lai-2025", scenario.Register.CommitteeOf(NewGiaLai, On(2025, 7, 1))?.Id);
        Assert.Null(scenario.Register.CommitteeOf(NewGiaLai, On(2025, 6, 30)));
        Assert.Equal(["bcd-gia-lai-2025", "bcd-gia-lai", "bcd-binh-dinh"], merger.AffectedCommitteeIds);
        Assert.Equal(2, merger.Events.OfType<CommitteeMerged>().Count());
    }

    [Fact]
    public void A_change_to_a_merged_committee_after_the_merger_is_refused()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("d-diss", D(2025, 7, 1), GiaLai, new DissolveCommittee("changes[0].dissolve_committee", null, "bcd-gia-lai")));

        var outcome = DecisionEngine.Apply(scenario.Register, Decision("d-late", D(2025, 8, 1), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.Member))));

        Assert.Equal("COMMITTEE_NOT_ACTIVE", Assert.Single(outcome.Problems).Reason);
        Assert.Equal(CommitteeState.Dissolved, scenario.Register.FindCommittee("bcd-gia-lai")!.StateOn(On(2025, 7, 1)));
    }

    [Fact]
    public void An_organisation_cannot_change_another_organisations_committee()
    {
        scenario.FoundGiaLai();

        var outcome = DecisionEngine.Apply(scenario.Register, Decision("d-x", D(2020, 1, 1), BinhDinh,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.Member))));

        Assert.Equal("NOT_OWNER", Assert.Single(outcome.Problems).Reason);
    }

    [Fact]
    public void A_subject_committee_must_exist_and_belong_to_the_owner_even_when_no_change_acts_on_it()
    {
        var giaLai = scenario.FoundGiaLai();
        var establishBinhDinh = new EstablishCommittee("changes[0].establish_committee", null, "bcd-binh-dinh",
            "Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Bình Định", CommitteeLevel.Province, BinhDinh, null, [MandateTopic.EGovernment], null);

        var foreign = DecisionEngine.Apply(scenario.Register, Decision("d-bd", D(2020, 1, 1), BinhDinh, establishBinhDinh)
            with { SubjectCommitteeIds = ["bcd-binh-dinh", "bcd-gia-lai", "bcd-khong-co"] });

        Assert.Equal(DecisionResult.Rejected, foreign.Result);
        Assert.Equal(
            [("subject_committees[1]", "NOT_OWNER"), ("subject_committees[2]", "UNKNOWN_COMMITTEE")],
            foreign.Problems.Select(p => (p.Field, p.Reason)));
        Assert.Null(scenario.Register.FindCommittee("bcd-binh-dinh"));
        Assert.Equal(["d337"], giaLai.Decisions.Select(d => d.DecisionId));

        // The national government may name any committee: the decision is then listed on Gia Lai's committee too.
        var national = scenario.Apply(Decision("d-ttg", D(2020, 1, 1), "national", establishBinhDinh) with { SubjectCommitteeIds = ["bcd-binh-dinh", "bcd-gia-lai"] });
        Assert.Equal(["bcd-binh-dinh", "bcd-gia-lai"], national.AffectedCommitteeIds);
        Assert.Equal(["d337", "d-ttg"], giaLai.Decisions.Select(d => d.DecisionId));
    }

    [Fact]
    public void An_issued_decision_changing_a_committee_outside_its_subject_committees_is_refused()
    {
        scenario.FoundGiaLai();
        var appoint = new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.Member));
        var issued = Decision("d-x", D(2020, 1, 1), GiaLai, appoint) with { ChangedCommittees = [new("changes[0].appoint.committee", "bcd-gia-lai")] };

        var outside = DecisionEngine.Apply(scenario.Register, issued with { SubjectCommitteeIds = ["bcd-gia-lai-khac"] });
        var inside = DecisionEngine.Apply(scenario.Register, issued with { SubjectCommitteeIds = ["bcd-gia-lai"] });

        Assert.Equal(
            [("subject_committees[0]", "UNKNOWN_COMMITTEE"), ("changes[0].appoint.committee", "COMMITTEE_NOT_A_SUBJECT")],
            outside.Problems.Select(p => (p.Field, p.Reason)));
        Assert.Equal(DecisionResult.Applied, inside.Result);
    }

    [Fact]
    public void Establishing_checks_id_level_jurisdiction_and_reuse()
    {
        scenario.FoundGiaLai();

        var outcome = DecisionEngine.Apply(scenario.Register, Decision("d-x", D(2020, 1, 1), "national",
            new EstablishCommittee("changes[0].establish_committee", null, "bcd-gia-lai", "Trùng mã", CommitteeLevel.Province, GiaLai, null, [], null),
            new EstablishCommittee("changes[1].establish_committee", null, "X", "Mã sai", CommitteeLevel.Ministry, GiaLai, null, [], null),
            new EstablishCommittee("changes[2].establish_committee", null, "bcd-huyen", "Cấp huyện", CommitteeLevel.District, "huyen-x", null, [], null)));

        Assert.Equal(
            [
                ("changes[0].establish_committee.committee_id", "COMMITTEE_ALREADY_EXISTS"),
                ("changes[0].establish_committee.jurisdiction", "JURISDICTION_HAS_COMMITTEE"),
                ("changes[1].establish_committee.committee_id", "INVALID_ID"),
                ("changes[1].establish_committee.level", "LEVEL_MISMATCH"),
                ("changes[1].establish_committee.jurisdiction", "JURISDICTION_HAS_COMMITTEE"),
                ("changes[2].establish_committee.level", "LEVEL_NOT_ACCEPTED"),
            ],
            outcome.Problems.Select(p => (p.Field, p.Reason)));
    }

    [Fact]
    public void A_committee_is_not_established_in_a_jurisdiction_once_it_has_ceased()
    {
        scenario.Register.JurisdictionCeased(new CeasedJurisdiction(GiaLai, CivilDate.Of(2025, 7, 1), "province-2025-gia-lai"));

        var after = DecisionEngine.Preview(scenario.Register, Decision("d-late", D(2025, 7, 1), "national", EstablishGiaLai()));
        var before = DecisionEngine.Preview(scenario.Register, Decision("d-early", D(2025, 6, 30), "national", EstablishGiaLai()));
        var yearOnly = DecisionEngine.Preview(scenario.Register, Decision("d-2025", CivilDate.OfYear(2025), "national", EstablishGiaLai()));

        Assert.Equal(
            [("changes[0].establish_committee.jurisdiction", "JURISDICTION_CEASED")],
            after.Problems.Select(p => (p.Field, p.Reason)));
        Assert.EndsWith("create the committee of province-2025-gia-lai instead", after.Problems[0].Description, StringComparison.Ordinal);
        Assert.Equal(DecisionResult.Applied, before.Result);
        Assert.Equal(DecisionResult.Applied, yearOnly.Result); // perhaps before it ceased: not refused
    }

    [Fact]
    public void Applying_the_same_decision_twice_changes_nothing()
    {
        var committee = scenario.FoundGiaLai();
        var version = committee.Version;

        var again = DecisionEngine.Apply(scenario.Register, Decision("d337", D(2019, 6, 20), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.Member))));

        Assert.Equal(DecisionResult.AlreadyApplied, again.Result);
        Assert.Empty(again.Events);
        Assert.Equal(version, committee.Version);
        Assert.Single(committee.Memberships);
    }

    [Fact]
    public void A_preview_reports_what_would_happen_and_changes_nothing()
    {
        var committee = scenario.FoundGiaLai();

        var preview = DecisionEngine.Preview(scenario.Register, Decision("", D(2020, 1, 1), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.Member))));

        Assert.Equal(DecisionResult.Applied, preview.Result);
        Assert.IsType<MembershipStarted>(Assert.Single(preview.Events));
        Assert.Single(committee.Memberships);
        Assert.Equal(2, committee.Version);
    }

    [Fact]
    public void Revoking_ends_what_the_decision_started_and_resumes_what_it_ended_from_the_revocation_on()
    {
        scenario.FoundGiaLai();
        scenario.Apply(Decision("d2", D(2020, 1, 1), GiaLai,
            new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.StandingMember))));
        scenario.Apply(Decision("d3", D(2021, 1, 1), GiaLai,
            new Relieve("changes[0].relieve", null, new MembershipTarget("bcd-gia-lai", null, PersonSeat("tran-thi-b")), "Chuyển công tác"),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PersonSeat("nguyen-van-a"), MembershipRole.Member)),
            new RenameCommittee("changes[2].rename_committee", null, "bcd-gia-lai", "Tên sai")));

        scenario.Apply(new DecisionToApply("d4", "4/QĐ-UBND", D(2021, 6, 1), [DecisionKind.Revoke], [], GiaLai,
            [new RevokeDecisionEffects("changes[0].revoke_decision_effects", null, "d3")]));

        var mid = scenario.AsOf("bcd-gia-lai", On(2021, 3, 1));
        Assert.Equal(["chu-tich-gia-lai", "nguyen-van-a"], mid.Seats.Select(s => s.Membership.PersonId ?? s.Membership.PostId));
        Assert.Equal("Tên sai", mid.DisplayName);
        var after = scenario.AsOf("bcd-gia-lai", On(2021, 6, 1));
        Assert.Equal(["chu-tich-gia-lai", "tran-thi-b"], after.Seats.Select(s => s.Membership.PersonId ?? s.Membership.PostId));
        Assert.Equal([MembershipRole.StandingMember], after.Seats[1].Roles.Roles);
        Assert.Equal("Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai", after.DisplayName);
    }

    [Fact]
    public void Revoking_a_decision_never_applied_is_a_problem()
    {
        scenario.FoundGiaLai();

        var outcome = DecisionEngine.Apply(scenario.Register, Decision("d4", D(2021, 6, 1), GiaLai,
            new RevokeDecisionEffects("changes[0].revoke_decision_effects", null, "never")));

        Assert.Equal(("changes[0].revoke_decision_effects.decision", "DECISION_NOT_APPLIED"), (outcome.Problems[0].Field, outcome.Problems[0].Reason));
    }
}
