using Egov.Steering.Membership.Compliance;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static Egov.Steering.Membership.Tests.Domain.Scenario;

namespace Egov.Steering.Membership.Tests.Data;

/// <summary>
/// A committee's first compliance evaluation can run twice at once: the start-up rollover and a write (a rule change,
/// a correction) both find no committee_compliance row. Both must commit; only one reports the flip.
/// </summary>
public sealed class ComplianceRaceTests
{
    // A day the 2020 province (and so its committee) still existed: the rollover evaluates only committees open today.
    private static readonly DateTimeOffset Today = new(2024, 1, 10, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Two_first_evaluations_of_a_committee_at_once_both_commit_and_only_one_reports_the_flip()
    {
        await using var database = await MembershipDatabase.CreateAsync("PostgreSQL");
        await using (var db = database.NewContext())
        {
            await new RegisterStore(db, new MembershipClock(TimeProvider.System)).ApplyAsync(new DecisionToApply("qd-337", "337/QĐ-UBND", D(2019, 6, 20), [DecisionKind.Establish], [], GiaLai,
            [
                new EstablishCommittee("changes[0].establish_committee", null, "bcd-gia-lai", "Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai",
                    CommitteeLevel.Province, GiaLai, null, [MandateTopic.EGovernment], null),
            ]));
            await db.SaveChangesAsync();
        }

        await using var first = database.NewContext();
        await using var firstTransaction = await first.Database.BeginTransactionAsync();
        Assert.Equal(["bcd-gia-lai"], await Recalculator(first).RecomputeAllAsync());
        await first.SaveChangesAsync();

        await using var second = database.NewContext();
        var secondRun = Task.Run(async () =>
        {
            await using var transaction = await second.Database.BeginTransactionAsync();
            var flipped = await Recalculator(second).RecomputeAllAsync();
            await second.SaveChangesAsync();
            await transaction.CommitAsync();
            return flipped;
        });
        // The race proper: the second evaluation is blocked on the first's uncommitted row when the first commits.
        await Eventually.WaitUntilAsync(() => WaitingOnALockAsync(database), "the second evaluation waits for the first's row");
        await firstTransaction.CommitAsync();

        Assert.Empty(await secondRun);
        await using var check = database.NewContext();
        Assert.Equal(1, await check.Set<OutboxMessage>().CountAsync());
        Assert.Equal(ComplianceStatus.NotCompliant, (await check.CommitteeCompliance.SingleAsync()).Status);
    }

    private static ComplianceRecalculator Recalculator(MembershipDbContext db)
    {
        var clock = new MembershipClock(new FakeTimeProvider(Today));
        return new(db, new RegisterStore(db, clock), clock);
    }

    private static async Task<bool> WaitingOnALockAsync(MembershipDatabase database)
    {
        await using var db = database.NewContext();
        return await db.Database
            .SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
            .SingleAsync() > 0;
    }
}
