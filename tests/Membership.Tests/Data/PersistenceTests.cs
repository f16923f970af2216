using System.Globalization;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Compliance;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Tests.Domain;
using Microsoft.EntityFrameworkCore;
using static Egov.Steering.Membership.Tests.Domain.Scenario;

namespace Egov.Steering.Membership.Tests.Data;

/// <summary>The whole model written and read back through the service's own registration, on both providers.</summary>
public class PersistenceTests
{
    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("Sqlite")]
    public async Task Seeding_loads_reference_organisations_and_the_rules_file_once(string provider)
    {
        await using var database = await MembershipDatabase.CreateAsync(provider);
        await MembershipSeeder.SeedAsync(database.NewContext());

        await using var db = database.NewContext();
        Assert.Equal(63 + 34, await db.Organisations.CountAsync(o => o.Level == CommitteeLevel.Province));
        var giaLai = await db.Organisations.SingleAsync(o => o.Code == GiaLai);
        Assert.Equal((CivilDate.Of(2025, 7, 1), NewGiaLai), (giaLai.End!.Value, giaLai.SuccessorCode));
        var mic = await db.Organisations.SingleAsync(o => o.Code == "ministry-btttt");
        Assert.Equal((CivilDate.Of(2025, 3, 1), "ministry-bkhcn"), (mic.End!.Value, mic.SuccessorCode));
        Assert.Equal(3, await db.ComplianceRules.CountAsync()); // the rules file states only sourced rules
        var rule = await db.ComplianceRules.SingleAsync(r => r.Id == "consolidated-after-701");
        Assert.Equal(new DateOnly(2020, 5, 26), rule.Since);
        Assert.Equal([CommitteeLevel.Ministry, CommitteeLevel.Province], rule.Levels);
    }

    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("Sqlite")]
    public async Task Applied_decisions_read_back_with_their_whole_history(string provider)
    {
        await using var database = await WithScenarioPostsAndPeopleAsync(provider);

        await ApplyAsync(database, new DecisionToApply("d337", "337/QĐ-UBND", CivilDate.OfMonth(2019, 6), [DecisionKind.Establish], [], GiaLai,
        [
            EstablishGiaLai(),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PostSeat("chu-tich-gia-lai"), MembershipRole.Chair)),
            new Appoint("changes[2].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.Member)),
            new EstablishWorkingGroup("changes[3].establish_working_group", null, "bcd-gia-lai", "to-giup-viec", "Tổ giúp việc", "Giúp việc Ban chỉ đạo",
                [new GroupSeat(PostSeat("giam-doc-stttt-gia-lai"), WorkingGroupRole.Leader)]),
            new AssignPostHolder("changes[4].assign_post_holder", null, "chu-tich-gia-lai", "vo-ngoc-thanh"),
        ]));
        await ApplyAsync(database, new DecisionToApply("d2", "2/QĐ-UBND", D(2020, 8, 1), [DecisionKind.Consolidate, DecisionKind.Rename], ["bcd-gia-lai"], GiaLai,
        [
            new RenameCommittee("changes[0].rename_committee", null, "bcd-gia-lai", "Ban chỉ đạo chuyển đổi số tỉnh Gia Lai"),
            new SetRoster("changes[1].set_roster", null, "bcd-gia-lai",
            [
                Seat(PostSeat("chu-tich-gia-lai"), MembershipRole.Chair),
                Seat(PostSeat("giam-doc-stttt-gia-lai"), MembershipRole.StandingMember, MembershipRole.Secretary),
            ], "Kiện toàn"),
            new AssignPostHolder("changes[2].assign_post_holder", D(2020, 11, 1), "chu-tich-gia-lai", "truong-hai-long"),
        ]));

        await using var read = database.NewContext();
        var register = await new RegisterStore(read, new MembershipClock(TimeProvider.System)).LoadCommitteesAsync(["bcd-gia-lai"]);
        var committee = register.FindCommittee("bcd-gia-lai")!;
        Assert.Equal(CivilDate.OfMonth(2019, 6), committee.FoundingDate);
        var before = register.AsOf(committee, On(2020, 7, 31));
        Assert.Equal(("Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai", 2, "Võ Ngọc Thành"), (before.DisplayName, before.Seats.Count, before.Chair?.Person?.DisplayName));
        Assert.Equal("tran-thi-b", before.Seats[1].Membership.PersonId);
        Assert.Equal("giam-doc-stttt-gia-lai", Assert.Single(Assert.Single(before.WorkingGroups).Seats).Seat.PostId);
        var after = register.AsOf(committee, On(2020, 11, 1));
        Assert.Equal(("Ban chỉ đạo chuyển đổi số tỉnh Gia Lai", "Trương Hải Long"), (after.DisplayName, after.Chair?.Person?.DisplayName));
        Assert.Equal([MembershipRole.StandingMember, MembershipRole.Secretary], after.Seats[1].Roles.Roles);
        Assert.Equal(("2/QĐ-UBND", D(2020, 8, 1)), (after.LastConsolidation?.Number, after.LastConsolidation!.EffectiveDate));
        var relieved = committee.Memberships.Single(m => m.PersonId == "tran-thi-b");
        Assert.Equal((D(2020, 8, 1), "d2", "Kiện toàn"), (relieved.End!.Value, relieved.EndingDecisionId, relieved.EndReason));
        Assert.Equal(DateTimeKind.Utc, committee.CreatedAt.Kind);
        Assert.Equal(ComplianceStatus.Compliant, ComplianceEvaluator.Evaluate(register, committee, await read.ComplianceRules.ToListAsync(), On(2021, 1, 1)).Status);

        var repeat = await ApplyAsync(database, new DecisionToApply("d2", "2/QĐ-UBND", D(2020, 8, 1), [], [], GiaLai,
            [new RenameCommittee("changes[0].rename_committee", null, "bcd-gia-lai", "Lần hai")]));
        Assert.Equal(DecisionResult.AlreadyApplied, repeat.Result);
    }

    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("Sqlite")]
    public async Task A_preview_or_a_rejected_decision_writes_nothing(string provider)
    {
        await using var database = await MembershipDatabase.CreateAsync(provider);
        await ApplyAsync(database, new DecisionToApply("d1", null, D(2019, 6, 20), [], [], GiaLai, [EstablishGiaLai()]));

        await using (var db = database.NewContext())
        {
            var store = new RegisterStore(db, new MembershipClock(TimeProvider.System));
            var (preview, _) = await store.PreviewAsync(Rename("", "Tên xem trước"));
            var rejected = await store.ApplyAsync(new DecisionToApply("d2", null, D(2021, 1, 1), [], [], GiaLai,
            [
                new RenameCommittee("changes[0].rename_committee", null, "bcd-gia-lai", "Tên mới"),
                new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PersonSeat("nobody"), MembershipRole.Member)),
            ]));
            Assert.Equal((DecisionResult.Applied, DecisionResult.Rejected), (preview.Result, rejected.Result));
            Assert.Equal(0, await db.SaveChangesAsync());
        }

        await using var read = database.NewContext();
        var committee = await read.CommitteeAggregates.SingleAsync();
        Assert.Equal((1, 1L), (committee.Names.Count, committee.Version));
        Assert.False(await read.AppliedDecisions.AnyAsync(d => d.DecisionId == "d2"));
    }

    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("Sqlite")]
    public async Task Two_writers_of_one_committee_cannot_both_win(string provider)
    {
        await using var database = await MembershipDatabase.CreateAsync(provider);
        await ApplyAsync(database, new DecisionToApply("d1", null, D(2019, 6, 20), [], [], GiaLai, [EstablishGiaLai()]));
        await using var first = database.NewContext();
        await using var second = database.NewContext();
        var firstRegister = await new RegisterStore(first, new MembershipClock(TimeProvider.System)).LoadCommitteesAsync(["bcd-gia-lai"]);
        var secondRegister = await new RegisterStore(second, new MembershipClock(TimeProvider.System)).LoadCommitteesAsync(["bcd-gia-lai"]);

        DecisionEngine.Apply(firstRegister, Rename("d2", "Tên một"));
        DecisionEngine.Apply(secondRegister, Rename("d3", "Tên hai"));
        await first.SaveChangesAsync();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
    }

    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("Sqlite")]
    public async Task People_are_found_without_diacritics_and_sorted_in_vietnamese_order(string provider)
    {
        await using var database = await MembershipDatabase.CreateAsync(provider);
        await using (var db = database.NewContext())
        {
            db.People.AddRange(
                new Person("p1", "Đặng Văn Đức"),
                new Person("p2", "Dương Thị Mai"),
                new Person("p3", "Ân Văn Bình"),
                new Person("p4", "An Văn Bình"),
                new Person("p5", "Nguyễn Xuân Phúc"));
            await db.SaveChangesAsync();
        }

        await using var read = database.NewContext();
        var found = await read.People.Where(p => EF.Property<string>(p, MembershipDbContext.SearchText).Contains("nguyen xuan phuc")).ToListAsync();
        Assert.Equal("p5", Assert.Single(found).Id);
        Assert.Equal("p1", Assert.Single(await read.People.Where(p => EF.Property<string>(p, MembershipDbContext.SearchText).Contains("dang van duc")).ToListAsync()).Id);
        var ordered = await read.People.OrderBy(p => EF.Property<string>(p, MembershipDbContext.SortKey)).Select(p => p.DisplayName).ToListAsync();
        Assert.Equal(["An Văn Bình", "Ân Văn Bình", "Dương Thị Mai", "Đặng Văn Đức", "Nguyễn Xuân Phúc"], ordered);
    }

    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("Sqlite")]
    public async Task Seeding_rewrites_sort_keys_stored_before_numbers_were_compared_by_value(string provider)
    {
        await using var database = await MembershipDatabase.CreateAsync(provider);
        await using (var db = database.NewContext())
        {
            db.Posts.AddRange(
                new Post("seat-10", "Ủy viên thứ 10", PostKind.Other, null, "Ủy ban nhân dân tỉnh Gia Lai", GiaLai),
                new Post("seat-4", "Ủy viên thứ 4", PostKind.Other, null, "Ủy ban nhân dân tỉnh Gia Lai", GiaLai));
            await db.SaveChangesAsync();
            // What a database written by the previous version holds: keys of the text order, where "10" < "4".
            var textOrder = CultureInfo.GetCultureInfo("vi-VN").CompareInfo;
            foreach (var (id, name) in new[] { ("seat-10", "Ủy viên thứ 10"), ("seat-4", "Ủy viên thứ 4") })
            {
                var oldKey = Convert.ToHexStringLower(textOrder.GetSortKey(name, CompareOptions.None).KeyData);
                await db.Posts.Where(p => p.Id == id).ExecuteUpdateAsync(u => u.SetProperty(p => EF.Property<string>(p, MembershipDbContext.SortKey), oldKey));
            }
        }

        var updatedBefore = await PostsAsync(database, p => p.UpdatedAt);
        Assert.Equal(["Ủy viên thứ 10", "Ủy viên thứ 4"], await PostsAsync(database, p => p.DisplayName));

        await MembershipSeeder.SeedAsync(database.NewContext());

        Assert.Equal(["Ủy viên thứ 4", "Ủy viên thứ 10"], await PostsAsync(database, p => p.DisplayName));
        Assert.Equal(updatedBefore.Order(), (await PostsAsync(database, p => p.UpdatedAt)).Order());
    }

    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("Sqlite")]
    public async Task Seeding_rewrites_search_texts_stored_before_the_letters_that_look_like_d_folded_to_it(string provider)
    {
        await using var database = await MembershipDatabase.CreateAsync(provider);
        await using (var db = database.NewContext())
        {
            db.People.Add(new Person("tran-dinh-d", "Trần \u00D0ình Ðức"));
            await db.SaveChangesAsync();
            // What the previous fold stored: Ð (U+00D0) kept as ð.
            await db.People.ExecuteUpdateAsync(u => u.SetProperty(p => EF.Property<string>(p, MembershipDbContext.SearchText), "tran \u00F0inh \u00F0uc"));
        }

        await MembershipSeeder.SeedAsync(database.NewContext());

        await using var read = database.NewContext();
        Assert.Equal(["tran-dinh-d"], await read.People.Where(p => EF.Property<string>(p, MembershipDbContext.SearchText).Contains("dinh duc")).Select(p => p.Id).ToListAsync());
    }

    /// <summary>
    /// A committee with a long history: a decision loads its current seats (and any it names or a revoked decision
    /// touched) and the decision records its rules read, not every membership and decision it ever had, and what it
    /// writes keeps the rest of the history.
    /// </summary>
    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("Sqlite")]
    public async Task A_decision_loads_the_committees_current_state_not_its_whole_history(string provider)
    {
        await using var database = await MembershipDatabase.CreateAsync(provider);
        await using (var db = database.NewContext())
        {
            var scenario = new Scenario();
            db.People.AddRange(scenario.Register.People);
            await db.SaveChangesAsync();
        }

        await ApplyAsync(database, new DecisionToApply("d0", null, D(2019, 6, 20), [DecisionKind.Establish], [], GiaLai, [EstablishGiaLai()]));
        const int PastRosters = 30;
        for (var i = 1; i <= PastRosters; i++)
        {
            // Each roster seats the other of two people: the one seated before ends, a new membership starts.
            var person = i % 2 == 0 ? "nguyen-van-a" : "tran-thi-b";
            await ApplyAsync(database, new DecisionToApply($"r{i}", null, CivilDate.Of(new DateOnly(2019, 7, 1).AddDays(i * 7)), [i == 1 ? DecisionKind.Consolidate : DecisionKind.Amend], ["bcd-gia-lai"], GiaLai,
                [new SetRoster("changes[0].set_roster", null, "bcd-gia-lai", [Seat(PersonSeat(person), MembershipRole.Chair)], "Kiện toàn")]));
        }

        var appoint = new DecisionToApply("d-late", null, D(2023, 3, 1), [DecisionKind.Amend], ["bcd-gia-lai"], GiaLai,
            [new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("vo-ngoc-thanh"), MembershipRole.Member))]);
        var relieveOld = new DecisionToApply("d-old", null, D(2023, 3, 1), [DecisionKind.Amend], ["bcd-gia-lai"], GiaLai,
            [new Relieve("changes[0].relieve", null, new MembershipTarget("bcd-gia-lai", "3", null), null)]);
        var revoke = new DecisionToApply("d-revoke", null, D(2023, 3, 1), [DecisionKind.Revoke], ["bcd-gia-lai"], GiaLai,
            [new RevokeDecisionEffects("changes[0].revoke_decision_effects", null, "r5")]);
        // Each load on a context of its own: a context shows every membership it tracks.
        var loaded = (await LoadForAsync(database, appoint)).FindCommittee("bcd-gia-lai")!;
        Assert.Equal([(PastRosters.ToString(CultureInfo.InvariantCulture), (CivilDate?)null)], loaded.Memberships.Select(m => (m.Id, m.End)));
        // Decision records: the consolidation (r1) and those from the year of the latest (r27-r30 are of 2020), which
        // give what the whole history gives.
        Assert.Equal(["r1", "r27", "r28", "r29", "r30"], loaded.Decisions.Select(d => d.DecisionId).Order(StringComparer.Ordinal));
        await using (var db = database.NewContext())
        {
            var whole = await db.CommitteeAggregates.AsNoTracking().SingleAsync();
            Assert.Equal((whole.ConfirmedThrough(), whole.LastConsolidationOn(On(2023, 3, 1))?.DecisionId),
                (loaded.ConfirmedThrough(), loaded.LastConsolidationOn(On(2023, 3, 1))?.DecisionId));
        }

        Assert.Equal(["3", "30"], (await LoadForAsync(database, relieveOld)).FindCommittee("bcd-gia-lai")!.Memberships.Select(m => m.Id).Order(StringComparer.Ordinal));
        // r5 ended membership 4 and started 5 (ended by r6).
        var revoking = (await LoadForAsync(database, revoke)).FindCommittee("bcd-gia-lai")!;
        Assert.Equal(["30", "4", "5"], revoking.Memberships.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.Contains("r5", revoking.Decisions.Select(d => d.DecisionId));
        await using (var db = database.NewContext())
        {
            var (rejected, _) = await new RegisterStore(db, new MembershipClock(TimeProvider.System)).PreviewAsync(relieveOld);
            Assert.Contains("the membership has already ended", Assert.Single(rejected.Problems).Description, StringComparison.Ordinal);
        }

        await ApplyAsync(database, appoint);
        await using var read = database.NewContext();
        var committee = await read.CommitteeAggregates.SingleAsync();
        Assert.Equal(PastRosters + 1, committee.Memberships.Count);
        Assert.Equal(2, committee.Memberships.Count(m => m.End is null));
        Assert.All(committee.Memberships, m => Assert.NotEmpty(m.RolePeriods));
        Assert.Equal(PastRosters + 2, committee.Decisions.Count);
    }

    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("Sqlite")]
    public async Task A_dry_run_reads_the_memberships_its_checks_can_meet_not_the_whole_roster(string provider)
    {
        await using var database = await WithScenarioPostsAndPeopleAsync(provider);

        await ApplyAsync(database, new DecisionToApply("d337", null, D(2019, 6, 20), [DecisionKind.Establish], [], GiaLai,
        [
            EstablishGiaLai(),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PostSeat("chu-tich-gia-lai"), MembershipRole.Chair)),
            new Appoint("changes[2].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.Member)),
            new Appoint("changes[3].appoint", null, "bcd-gia-lai", Seat(PersonSeat("ho-phuoc-thanh"), MembershipRole.Member)),
            new Appoint("changes[4].appoint", null, "bcd-gia-lai", Seat(PersonSeat("truong-hai-long"), MembershipRole.ViceChair)),
        ]));
        var secondChair = new DecisionToApply("d2", null, D(2021, 1, 1), [DecisionKind.Amend], ["bcd-gia-lai"], GiaLai,
            [new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("nguyen-van-a"), MembershipRole.Chair))]);
        var seatedTwice = new DecisionToApply("d3", null, D(2021, 1, 1), [DecisionKind.Amend], ["bcd-gia-lai"], GiaLai,
            [new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.Member))]);

        Assert.Equal(4, (await LoadForAsync(database, secondChair)).FindCommittee("bcd-gia-lai")!.Memberships.Count);
        foreach (var (decision, reason, read) in new[] { (secondChair, "SECOND_CHAIR", new[] { "1" }), (seatedTwice, "ALREADY_A_MEMBER", ["1", "2"]) })
        {
            await using var db = database.NewContext();
            var (outcome, register) = await new RegisterStore(db, new MembershipClock(TimeProvider.System)).PreviewAsync(decision);
            Assert.Equal(reason, Assert.Single(outcome.Problems).Reason);
            Assert.Equal(read, register.FindCommittee("bcd-gia-lai")!.Memberships.Select(m => m.Id).Order(StringComparer.Ordinal));
            Assert.Empty(register.FindCommittee("bcd-gia-lai")!.Decisions); // it revokes none
        }
    }

    private static async Task<List<T>> PostsAsync<T>(MembershipDatabase database, System.Linq.Expressions.Expression<Func<Post, T>> select)
    {
        await using var db = database.NewContext();
        return await db.Posts.OrderBy(p => EF.Property<string>(p, MembershipDbContext.SortKey)).Select(select).ToListAsync();
    }

    /// <summary>A fresh database holding the scenario's posts and people.</summary>
    private static async Task<MembershipDatabase> WithScenarioPostsAndPeopleAsync(string provider)
    {
        var database = await MembershipDatabase.CreateAsync(provider);
        await using var db = database.NewContext();
        var scenario = new Scenario();
        db.Posts.AddRange(scenario.Register.Posts);
        db.People.AddRange(scenario.Register.People);
        await db.SaveChangesAsync();
        return database;
    }

    private static DecisionToApply Rename(string id, string name) =>
        new(id, null, D(2021, 1, 1), [DecisionKind.Rename], [], GiaLai, [new RenameCommittee("changes[0].rename_committee", null, "bcd-gia-lai", name)]);

    private static async Task<Register> LoadForAsync(MembershipDatabase database, DecisionToApply decision)
    {
        await using var db = database.NewContext();
        return await new RegisterStore(db, new MembershipClock(TimeProvider.System)).LoadForAsync(decision);
    }

    private static async Task<DecisionOutcome> ApplyAsync(MembershipDatabase database, DecisionToApply decision)
    {
        await using var db = database.NewContext();
        var outcome = await new RegisterStore(db, new MembershipClock(TimeProvider.System)).ApplyAsync(decision);
        Assert.NotEqual(DecisionResult.Rejected, outcome.Result);
        await db.SaveChangesAsync();
        return outcome;
    }
}
