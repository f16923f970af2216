using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Tests.Data;
using Egov.Steering.Membership.Views;
using Microsoft.EntityFrameworkCore;
using static Egov.Steering.Membership.Tests.Domain.Scenario;

namespace Egov.Steering.Membership.Tests.Views;

/// <summary>A unit of work invalidates exactly the views it touches, worked out from what it saves.</summary>
public sealed class ViewInvalidationTests : IAsyncLifetime
{
    private MembershipDatabase database = null!;

    public async Task InitializeAsync()
    {
        database = await MembershipDatabase.CreateAsync("Sqlite");
        await using var db = database.NewContext();
        db.Posts.Add(new Post("chu-tich-gia-lai", "Chủ tịch UBND tỉnh Gia Lai", PostKind.ProvincialChairman, null, "UBND tỉnh Gia Lai", GiaLai));
        db.People.Add(new Person("vo-ngoc-thanh", "Võ Ngọc Thành"));
        await db.SaveChangesAsync();
        await ApplyAsync(db, Decision("d337", D(2019, 6, 20), GiaLai, EstablishGiaLai(),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PostSeat("chu-tich-gia-lai"), MembershipRole.Chair))));
        await ApplyAsync(db, Decision("d1", D(2019, 3, 1), BinhDinh,
            new EstablishCommittee("changes[0].establish_committee", null, "bcd-binh-dinh", "Ban chỉ đạo tỉnh Bình Định",
                CommitteeLevel.Province, BinhDinh, null, [MandateTopic.EGovernment], null)));
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task A_decision_on_one_committee_touches_its_view_and_the_overview_only()
    {
        await using var db = database.NewContext();
        await new RegisterStore(db, new MembershipClock(TimeProvider.System)).ApplyAsync(Decision("d2", D(2021, 1, 1), GiaLai,
            new RenameCommittee("changes[0].rename_committee", null, "bcd-gia-lai", "Ban chỉ đạo chuyển đổi số tỉnh Gia Lai")));

        Assert.Equal([ViewKeys.Committee("bcd-gia-lai"), ViewKeys.Overview], Touched(db).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_new_post_holder_touches_the_committees_the_post_sits_on()
    {
        await using var db = database.NewContext();
        await new RegisterStore(db, new MembershipClock(TimeProvider.System)).ApplyAsync(Decision("d3", D(2021, 1, 1), GiaLai,
            new AssignPostHolder("changes[0].assign_post_holder", null, "chu-tich-gia-lai", "vo-ngoc-thanh")));

        Assert.Equal([ViewKeys.Committee("bcd-gia-lai"), ViewKeys.Overview], Touched(db).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_person_renamed_may_appear_anywhere()
    {
        await using var db = database.NewContext();
        (await db.People.SingleAsync(p => p.Id == "vo-ngoc-thanh")).DisplayName = "Võ Ngọc Thành (sửa)";

        Assert.Contains(ViewKeys.All, Touched(db));
    }

    [Fact]
    public async Task Reading_touches_nothing()
    {
        await using var db = database.NewContext();
        await new RegisterStore(db, new MembershipClock(TimeProvider.System)).LoadCommitteesAsync(["bcd-gia-lai", "bcd-binh-dinh"]);

        Assert.Empty(Touched(db));
    }

    private static HashSet<string> Touched(MembershipDbContext db) =>
        ViewInvalidationInterceptor.Touched(db, posts => [.. db.Set<CommitteeMembership>().Where(m => posts.Contains(m.PostId!)).Select(m => m.CommitteeId)]);

    private static async Task ApplyAsync(MembershipDbContext db, DecisionToApply decision)
    {
        Assert.Equal(DecisionResult.Applied, (await new RegisterStore(db, new MembershipClock(TimeProvider.System)).ApplyAsync(decision)).Result);
        await db.SaveChangesAsync();
    }
}
