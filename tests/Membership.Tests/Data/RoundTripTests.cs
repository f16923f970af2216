using System.Diagnostics;
using Egov.Steering.Membership.Compliance;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using static Egov.Steering.Membership.Tests.Domain.Scenario;

namespace Egov.Steering.Membership.Tests.Data;

/// <summary>
/// The database round trips of applying an ordinary decision: every one costs both services CPU, so a lookup that can
/// only find nothing (what a revocation touched, when nothing is revoked; posts when none is named) is not made.
/// </summary>
public class RoundTripTests
{
    [Fact]
    public async Task Applying_a_decision_that_revokes_nothing_looks_up_nothing_revoked()
    {
        await using var database = await GiaLaiWithAChairAsync();

        await using var apply = database.NewContext();
        using var commands = new CommandLog(apply);
        await ApplyAsync(apply, AppointingAMember);

        // A snapshot of what the rules read (the transaction, the decision records' bound, the committee in 8 split
        // queries, the applied decisions, the people named, the jurisdictions' ends), then one batch of writes.
        Assert.DoesNotContain(commands.Texts, text => text.Contains("FROM posts", StringComparison.Ordinal));
        Assert.True(commands.Texts.Count <= 14, $"{commands.Texts.Count} round trips:\n{string.Join("\n---\n", commands.Texts)}");
    }

    [Fact]
    public async Task Applying_a_decision_tracks_no_person_and_scans_the_tracked_roster_only_to_save()
    {
        await using var database = await GiaLaiWithAChairAsync();

        // As the decision handler: apply, save, re-evaluate compliance on the register applied to, save.
        await using var apply = database.NewContext();
        var scans = 0;
        apply.ChangeTracker.DetectingAllChanges += (_, _) => scans++;
        var clock = new MembershipClock(TimeProvider.System);
        var store = new RegisterStore(apply, clock);
        var (outcome, register) = await store.ApplyToRegisterAsync(AppointingAMember);
        Assert.Equal(DecisionResult.Applied, outcome.Result);
        await apply.SaveChangesAsync();
        await new ComplianceRecalculator(apply, store, clock).RecomputeAsync(register, outcome.AffectedCommitteeIds, EventCause.None);
        await apply.SaveChangesAsync();

        Assert.Equal(2, scans); // one per save, none for reading the compliance rules in between

        // People are only named by decisions, never changed: their rows are read for names, not tracked.
        Assert.NotNull(register.FindPerson("tran-thi-b"));
        Assert.Empty(apply.ChangeTracker.Entries<Person>());
    }

    /// <summary>The second decision both tests apply: a member appointed to the committee the first one established.</summary>
    private static readonly DecisionToApply AppointingAMember = new("d2", "2/QĐ-UBND", D(2019, 7, 1), [DecisionKind.Amend], ["bcd-gia-lai"], GiaLai,
        [new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("nguyen-van-a"), MembershipRole.Member))]);

    /// <summary>A database with two people and Gia Lai's committee established with one of them as its chair.</summary>
    private static async Task<MembershipDatabase> GiaLaiWithAChairAsync()
    {
        var database = await MembershipDatabase.CreateAsync("PostgreSQL");
        await using var db = database.NewContext();
        db.People.AddRange(new Person("tran-thi-b", "Trần Thị B"), new Person("nguyen-van-a", "Nguyễn Văn A"));
        await db.SaveChangesAsync();
        await ApplyAsync(db, new DecisionToApply("d1", "1/QĐ-UBND", D(2019, 6, 20), [DecisionKind.Establish], [], GiaLai,
            [EstablishGiaLai(), new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.Chair))]));
        return database;
    }

    private static async Task ApplyAsync(MembershipDbContext db, DecisionToApply decision)
    {
        var outcome = await new RegisterStore(db, new MembershipClock(TimeProvider.System)).ApplyAsync(decision);
        Assert.True(outcome.Result == DecisionResult.Applied, string.Join("\n", outcome.Problems));
        await db.SaveChangesAsync();
    }

    /// <summary>The text of every command one context runs while the log is open (other tests' contexts are left out).</summary>
    private sealed class CommandLog : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly DbContext context;
        private readonly List<IDisposable> subscriptions = [];

        public CommandLog(DbContext context)
        {
            this.context = context;
            subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        public List<string> Texts { get; } = [];

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                subscriptions.Add(listener.Subscribe(this));
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData data && data.Context == context)
            {
                lock (Texts)
                {
                    Texts.Add(data.Command.CommandText);
                }
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose() => subscriptions.ForEach(subscription => subscription.Dispose());
    }
}
