using Egov.Steering.Membership.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Microsoft.EntityFrameworkCore;
using static Egov.Steering.Membership.Tests.Grpc.CommitteeApiTests;
using static Egov.Steering.Membership.Tests.Grpc.MembershipApiHost;
using T = Egov.Steering.Types.V1;

namespace Egov.Steering.Membership.Tests.Grpc;

/// <summary>Memberships and working groups through the real gRPC pipeline: who sat when, corrections, errors.</summary>
public class MembershipApiTests(MembershipApiHost host) : IClassFixture<MembershipApiHost>
{
    private readonly MembershipService.MembershipServiceClient reader = host.Client(DaNang2025);

    [Fact]
    public async Task An_ex_officio_seat_shows_whoever_held_the_post_on_the_date()
    {
        var before = await reader.ListMembershipsAsync(new ListMembershipsRequest { Parent = "committees/bcd-gia-lai", AsOf = Day(2020, 10, 31) });
        var after = await reader.ListMembershipsAsync(new ListMembershipsRequest { Parent = "committees/bcd-gia-lai", AsOf = Day(2020, 11, 1) });

        Assert.Equal(
            [("Võ Ngọc Thành", "Chủ tịch UBND tỉnh Gia Lai"), ("Trần Thị B", "")],
            before.Memberships.Select(m => (m.PersonDisplayName, m.PostDisplayName)));
        Assert.Equal([T.MembershipRole.Chair], before.Memberships[0].Roles);
        Assert.Equal("Trương Hải Long", after.Memberships[0].PersonDisplayName);
        Assert.Equal([T.MembershipRole.StandingMember, T.MembershipRole.Secretary], after.Memberships[1].Roles);
    }

    [Fact]
    public async Task After_the_merger_the_old_memberships_show_only_with_the_ended_ones()
    {
        var current = await reader.ListMembershipsAsync(new ListMembershipsRequest { Parent = "committees/bcd-gia-lai", AsOf = Day(2025, 7, 1) });
        var history = await reader.ListMembershipsAsync(new ListMembershipsRequest { Parent = "committees/bcd-gia-lai", AsOf = Day(2025, 7, 1), ShowEnded = true });

        Assert.Empty(current.Memberships);
        Assert.Equal(2, history.Memberships.Count);
        Assert.All(history.Memberships, m => Assert.Equal((MembershipState.Ended, 2025, 7, 1), (m.State, m.EndDate.Year, m.EndDate.Month, m.EndDate.Day)));
        Assert.All(history.Memberships, m => Assert.Equal("decisions/qd-merge", m.EndingDecision));
    }

    [Fact]
    public async Task A_persons_memberships_across_committees_include_ex_officio_seats()
    {
        var chairman = await reader.ListMembershipsAsync(new ListMembershipsRequest { Parent = "committees/-", Person = "people/truong-hai-long", AsOf = Day(2021, 1, 1) });
        var byRole = await reader.ListMembershipsAsync(new ListMembershipsRequest
        {
            Parent = "committees/-", Post = "posts/chu-tich-gia-lai", AsOf = Day(2021, 1, 1), Roles = { T.MembershipRole.Chair },
        });
        var secretaries = await reader.ListMembershipsAsync(new ListMembershipsRequest
        {
            Parent = "committees/bcd-gia-lai", AsOf = Day(2021, 1, 1), Roles = { T.MembershipRole.Secretary },
        });

        Assert.Equal(["committees/bcd-gia-lai/memberships/1"], chairman.Memberships.Select(m => m.Name));
        Assert.Equal(["committees/bcd-gia-lai/memberships/1"], byRole.Memberships.Select(m => m.Name));
        Assert.Equal(["people/tran-thi-b"], secretaries.Memberships.Select(m => m.Person));
        await Failure.InvalidAsync(reader.ListMembershipsAsync(new ListMembershipsRequest { Parent = "committees/-" }), "person");
        await Failure.InvalidAsync(
            reader.ListMembershipsAsync(new ListMembershipsRequest { Parent = "committees/bcd-gia-lai", Person = "nguoi/x", PageSize = -5 }),
            "page_size", "person");
        await Failure.CodeAsync(reader.ListMembershipsAsync(new ListMembershipsRequest { Parent = "committees/khong-co" }), Code.NotFound);
    }

    [Fact]
    public async Task Listing_memberships_pages_chair_first()
    {
        var first = await reader.ListMembershipsAsync(new ListMembershipsRequest { Parent = "committees/bcd-gia-lai", AsOf = Day(2021, 1, 1), PageSize = 1 });
        var second = await reader.ListMembershipsAsync(new ListMembershipsRequest
        {
            Parent = "committees/bcd-gia-lai", AsOf = Day(2021, 1, 1), PageSize = 1, PageToken = first.NextPageToken,
        });

        Assert.Equal(["committees/bcd-gia-lai/memberships/1"], first.Memberships.Select(m => m.Name));
        Assert.Equal(["committees/bcd-gia-lai/memberships/2"], second.Memberships.Select(m => m.Name));
        Assert.Empty(second.NextPageToken);
    }

    [Fact]
    public async Task Getting_a_membership_answers_as_of_the_date()
    {
        var membership = await reader.GetMembershipAsync(new GetMembershipRequest { Name = "committees/bcd-gia-lai/memberships/1", AsOf = Day(2019, 7, 1) });

        Assert.Equal(("Võ Ngọc Thành", "posts/chu-tich-gia-lai", MembershipState.Active), (membership.PersonDisplayName, membership.Post, membership.State));
        Assert.Equal("decisions/qd-337", membership.AppointingDecision);
        await Failure.CodeAsync(reader.GetMembershipAsync(new GetMembershipRequest { Name = "committees/bcd-gia-lai/memberships/99" }), Code.NotFound);
        await Failure.InvalidAsync(reader.GetMembershipAsync(new GetMembershipRequest { Name = "committees/bcd-gia-lai" }), "name");
    }

    [Fact]
    public async Task A_correction_fixes_the_record_keeps_the_reason_and_refuses_what_breaks_an_invariant()
    {
        var writer = host.Writer(GiaLai2020);
        var membership = await writer.GetMembershipAsync(new GetMembershipRequest { Name = "committees/bcd-gia-lai/memberships/2" });
        var change = membership.Clone();
        change.StartDate = new T.CivilDate { Year = 2019, Month = 7, Day = 1, Precision = T.DatePrecision.Day };
        var request = new CorrectMembershipRequest
        {
            Membership = change,
            UpdateMask = new FieldMask { Paths = { "start_date" } },
            Reason = "Quyết định 337/QĐ-UBND ghi ngày 01/7/2019",
            RequestId = Guid.NewGuid().ToString(),
        };

        var corrected = await writer.CorrectMembershipAsync(request);

        Assert.Equal((2019, 7, 1), (corrected.StartDate.Year, corrected.StartDate.Month, corrected.StartDate.Day));
        Assert.Equal("decisions/qd-337", corrected.AppointingDecision);
        Assert.NotEqual(membership.Etag, corrected.Etag);
        Assert.Equal(corrected, await writer.CorrectMembershipAsync(request));
        var record = await host.WithDbAsync(db => db.MembershipCorrections.SingleAsync(c => c.CommitteeId == "bcd-gia-lai" && c.MembershipId == "2"));
        Assert.Equal(("Quyết định 337/QĐ-UBND ghi ngày 01/7/2019", GiaLai2020), (record.Reason, record.Organisation));
        Assert.Contains("2019", record.Before, StringComparison.Ordinal);

        // The stale etag, then corrections a register cannot hold.
        await Failure.CodeAsync(writer.CorrectMembershipAsync(request.Clone().Also(r => r.RequestId = "")), Code.Aborted);
        var chair = corrected.Clone().Also(m => m.Roles.Add(T.MembershipRole.Chair));
        var twoChairs = await Failure.CodeAsync(
            writer.CorrectMembershipAsync(new CorrectMembershipRequest { Membership = chair, UpdateMask = new FieldMask { Paths = { "roles" } }, Reason = "thử" }),
            Code.FailedPrecondition);
        Assert.Equal(("SECOND_CHAIR", "committees/bcd-gia-lai/memberships/1"), (twoChairs.GetDetail<PreconditionFailure>().Violations[0].Type, twoChairs.GetDetail<PreconditionFailure>().Violations[0].Subject));
        var backwards = corrected.Clone().Also(m => m.EndDate = new T.CivilDate { Year = 2019, Precision = T.DatePrecision.Year });
        await Failure.InvalidAsync(
            writer.CorrectMembershipAsync(new CorrectMembershipRequest { Membership = backwards, UpdateMask = new FieldMask { Paths = { "end_date" } }, Reason = "thử" }),
            "membership.end_date");
        await Failure.InvalidAsync(
            writer.CorrectMembershipAsync(new CorrectMembershipRequest { Membership = corrected, UpdateMask = new FieldMask { Paths = { "appointing_decision" } } }),
            "update_mask.paths[0]", "reason");
        await Failure.CodeAsync(
            host.Writer(DaNang2025).CorrectMembershipAsync(new CorrectMembershipRequest { Membership = corrected, UpdateMask = new FieldMask { Paths = { "end_reason" } }, Reason = "thử" }),
            Code.PermissionDenied);
    }

    [Fact]
    public async Task A_roles_correction_is_recorded_and_a_new_read_shows_it()
    {
        var writer = host.Writer("province-2020-52");
        var membership = await writer.GetMembershipAsync(new GetMembershipRequest { Name = "committees/bcd-binh-dinh/memberships/1", AsOf = Day(2021, 1, 1) });
        var change = membership.Clone().Also(m => m.Roles.Add(T.MembershipRole.StandingMember));

        var corrected = await writer.CorrectMembershipAsync(new CorrectMembershipRequest
        {
            Membership = change, UpdateMask = new FieldMask { Paths = { "roles" } }, Reason = "Bản gốc quyết định ghi kiêm thành viên thường trực",
        });

        var read = await reader.GetMembershipAsync(new GetMembershipRequest { Name = membership.Name, AsOf = Day(2021, 1, 1) });
        Assert.Equal([T.MembershipRole.Chair, T.MembershipRole.StandingMember], read.Roles);
        Assert.Equal(corrected.Etag, read.Etag);
        var announced = (await host.OutboxEventsAsync("committees/bcd-binh-dinh")).Last(e => e.MembershipRolesChanged is not null).MembershipRolesChanged;
        Assert.Equal([T.MembershipRole.Chair], announced.PreviousRoles);
        Assert.Equal("", announced.Decision);
        Assert.Equal(membership.Name, announced.Membership.Name);
    }

    [Fact]
    public async Task Working_groups_answer_as_of_the_date()
    {
        var groups = await reader.ListWorkingGroupsAsync(new ListWorkingGroupsRequest { Parent = "committees/bcd-gia-lai", AsOf = Day(2020, 1, 1) });
        var beforeFounding = await reader.ListWorkingGroupsAsync(new ListWorkingGroupsRequest { Parent = "committees/bcd-gia-lai", AsOf = Day(2019, 1, 1) });
        var group = await reader.GetWorkingGroupAsync(new GetWorkingGroupRequest { Name = "committees/bcd-gia-lai/workingGroups/to-giup-viec", AsOf = Day(2020, 1, 1) });

        Assert.Equal(["Tổ giúp việc"], groups.WorkingGroups.Select(g => g.DisplayName));
        Assert.Empty(beforeFounding.WorkingGroups);
        var leader = Assert.Single(group.Members);
        Assert.Equal((T.WorkingGroupRole.Leader, "posts/giam-doc-stttt-gia-lai"), (leader.Role, leader.Post));
        await Failure.CodeAsync(
            reader.GetWorkingGroupAsync(new GetWorkingGroupRequest { Name = "committees/bcd-gia-lai/workingGroups/khong-co" }), Code.NotFound);
        await Failure.CodeAsync(reader.ListWorkingGroupsAsync(new ListWorkingGroupsRequest { Parent = "committees/khong-co" }), Code.NotFound);
        await Failure.InvalidAsync(reader.ListWorkingGroupsAsync(new ListWorkingGroupsRequest { Parent = "committees/bcd-gia-lai", PageSize = -1 }), "page_size");
    }
}
