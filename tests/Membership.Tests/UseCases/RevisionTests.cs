using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.UseCases;
using Egov.Steering.ServiceDefaults.Errors;
using Microsoft.EntityFrameworkCore;
using static Egov.Steering.Membership.Tests.Domain.Scenario;

namespace Egov.Steering.Membership.Tests.UseCases;

/// <summary>Posts and working groups count every change a client can see: their etag is that counter.</summary>
public class RevisionTests
{
    [Fact]
    public async Task A_post_counts_its_clerical_updates_and_its_holders()
    {
        await using var database = await UseCaseDatabase.CreateAsync();
        long created;
        await using (var db = database.NewContext())
        {
            created = (await database.Posts(db).GetAsync("chu-tich-gia-lai", On(2020, 1, 1), default)).Post.Revision;
            var update = new Update<PostClericalFields>(
                EntityTag.Of(created), new HashSet<string>(["sector"]), new("", "", "hanh-chinh"));
            Assert.Equal(created + 1, (await database.Posts(db).UpdateAsync("chu-tich-gia-lai", update, default)).Post.Revision);
        }

        await using (var db = database.NewContext())
        {
            var stale = new Update<PostClericalFields>(EntityTag.Of(created), new HashSet<string>(["sector"]), new("", "", "xay-dung"));
            await Assert.ThrowsAsync<StaleEtagException>(() => database.Posts(db).UpdateAsync("chu-tich-gia-lai", stale, default));
        }

        await database.ApplyAsync(Decision("d-holder", D(2020, 11, 1), GiaLai,
            new AssignPostHolder("changes[0].assign_post_holder", null, "chu-tich-gia-lai", "vo-ngoc-thanh")));
        await using (var db = database.NewContext())
        {
            Assert.Equal(created + 2, (await db.Posts.SingleAsync(p => p.Id == "chu-tich-gia-lai")).Revision);
        }
    }

    [Fact]
    public async Task A_working_group_counts_changes_of_its_seats()
    {
        await using var database = await UseCaseDatabase.CreateAsync();
        await database.ApplyAsync(Decision("d-gia-lai", D(2019, 6, 20), GiaLai,
            EstablishGiaLai(),
            new EstablishWorkingGroup("changes[1].establish_working_group", null, "bcd-gia-lai", "to-giup-viec", "Tổ giúp việc", null,
                [new GroupSeat(PostSeat("giam-doc-stttt-gia-lai"), WorkingGroupRole.Leader)])));
        var established = await RevisionOfGroupAsync(database);

        await database.ApplyAsync(Decision("d-members", D(2021, 1, 1), GiaLai,
            new SetWorkingGroupMembers("changes[0].set_working_group_members", null, "bcd-gia-lai", "to-giup-viec",
            [
                new GroupSeat(PostSeat("giam-doc-stttt-gia-lai"), WorkingGroupRole.Leader),
                new GroupSeat(PostSeat("giam-doc-sxd-gia-lai"), WorkingGroupRole.Member),
            ])));

        Assert.True(established > 0);
        Assert.Equal(established + 1, await RevisionOfGroupAsync(database));
    }

    private static async Task<long> RevisionOfGroupAsync(UseCaseDatabase database)
    {
        await using var db = database.NewContext();
        return (await db.Set<WorkingGroup>().SingleAsync(g => g.Id == "to-giup-viec")).Revision;
    }
}
