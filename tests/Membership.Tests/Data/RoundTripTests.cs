using System.Diagnostics;
using System.Globalization;
using Egov.Steering.Events.V1;
using Egov.Steering.Membership.Compliance;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Events;
using Egov.Steering.Membership.UseCases;
using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Outbox;
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
    public async Task The_register_loads_of_an_appointment_send_no_condition_over_what_it_does_not_name()
    {
        await using var database = await GiaLaiWithAChairAsync();

        await using var read = database.NewContext();
        using var commands = new CommandLog(read);
        var store = new RegisterStore(read, new MembershipClock(TimeProvider.System));
        var (preview, _) = await store.PreviewAsync(AppointingAMember);
        Assert.Equal(DecisionResult.Applied, preview.Result);
        Assert.Equal(DecisionResult.Applied, (await store.ApplyAsync(AppointingAMember)).Result);

        // It revokes nothing and names no membership, post or jurisdiction: a term over such an empty list can only be
        // false, and PostgreSQL plans these statements on every call, their terms with them. EF Core names a list's
        // parameter after the variable that holds it.
        var loads = string.Join("\n---\n", commands.Texts);
        Assert.All(
            ["@revoked", "@membershipIds", "@posts", "@jurisdictions"],
            list => Assert.False(loads.Contains(list, StringComparison.Ordinal), $"{list} sent:\n{loads}"));
        Assert.Contains("@people", loads, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Applying_an_issued_decision_tracks_no_person_and_scans_the_tracked_roster_once()
    {
        await using var database = await GiaLaiWithAChairAsync();

        // As the decision handler: the decision applied with its events, compliance and outcome, then the inbox's save.
        await using var apply = database.NewContext();
        var scans = 0;
        apply.ChangeTracker.DetectingAllChanges += (_, _) => scans++;
        var clock = new MembershipClock(TimeProvider.System);
        var store = new RegisterStore(apply, clock);
        var application = new DecisionApplicationUseCase(apply, store, new ComplianceRecalculator(apply, store, clock));
        var outcome = await application.ApplyAsync(AppointingAMember, EventCause.None, DateTime.UtcNow, CancellationToken.None);
        Assert.Equal(DecisionResult.Applied, outcome.Result);
        await apply.SaveChangesAsync();

        // One, the save's: none for reading the compliance rules, and no save of its own before the events and compliance.
        Assert.Equal(1, scans);
        var written = await apply.Set<OutboxMessage>().OrderBy(m => m.Sequence).Select(m => m.Body).ToListAsync();
        Assert.Equal(
            // The committee's first evaluation: its compliance is known from now on.
            [EventEnvelope.EventOneofCase.MembershipStarted, EventEnvelope.EventOneofCase.ComplianceChanged, EventEnvelope.EventOneofCase.DecisionApplied],
            written.Select(body => EventEnvelope.Parser.ParseFrom(body).EventCase));
        // People are only named by decisions, never changed: their rows are read for names, not tracked.
        Assert.Empty(apply.ChangeTracker.Entries<Person>());
    }

    [Fact]
    public async Task A_committees_decisions_applied_one_after_another_in_one_unit_of_work_read_it_once_and_end_as_one_at_a_time()
    {
        await using var database = await GiaLaiWithAChairAsync();
        await using (var seed = database.NewContext())
        {
            seed.People.AddRange(new Person("le-van-c", "Lê Văn C"), new Person("pham-thi-d", "Phạm Thị D"));
            await seed.SaveChangesAsync();
        }

        // As the decision handler with a committee's queued decisions: one transaction, a save after each.
        await using var apply = database.NewContext();
        using var commands = new CommandLog(apply);
        var store = new RegisterStore(apply, new MembershipClock(TimeProvider.System));
        await using (var transaction = await apply.Database.BeginTransactionAsync())
        {
            foreach (var decision in new[] { AppointingAMember, Appointing("d3", "le-van-c"), Appointing("d4", "pham-thi-d") })
            {
                var (outcome, _) = await store.ApplyToRegisterAsync(decision);
                Assert.True(outcome.Result == DecisionResult.Applied, string.Join("\n", outcome.Problems));
                await apply.SaveChangesAsync();
            }

            // Applied before in this unit of work: recognised as such on the register it was applied to.
            Assert.Equal(DecisionResult.AlreadyApplied, (await store.ApplyToRegisterAsync(AppointingAMember)).Outcome.Result);
            await transaction.CommitAsync();
        }

        // The committee (each of its split queries, e.g. its names) was read for the first decision only.
        Assert.Single(commands.Texts, text => text.Contains("committee_names", StringComparison.Ordinal));
        await using var read = database.NewContext();
        var committee = (await new RegisterStore(read, new MembershipClock(TimeProvider.System)).LoadCommitteesAsync(["bcd-gia-lai"])).FindCommittee("bcd-gia-lai")!;
        Assert.Equal(
            ["tran-thi-b", "nguyen-van-a", "le-van-c", "pham-thi-d"],
            committee.Memberships.OrderBy(m => int.Parse(m.Id, CultureInfo.InvariantCulture)).Select(m => m.Holder.PersonId));
        Assert.Equal(["d1", "d2", "d3", "d4"], committee.Decisions.Select(d => d.DecisionId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_decision_that_needs_more_than_the_previous_one_loaded_reads_the_committee_again()
    {
        await using var database = await GiaLaiWithAChairAsync();
        await using var apply = database.NewContext();
        using var commands = new CommandLog(apply);
        var store = new RegisterStore(apply, new MembershipClock(TimeProvider.System));
        await using var transaction = await apply.Database.BeginTransactionAsync();
        Assert.Equal(DecisionResult.Applied, (await store.ApplyToRegisterAsync(AppointingAMember)).Outcome.Result);
        await apply.SaveChangesAsync();

        // Effective a year earlier: memberships that ended in that year, not loaded for the first, could meet its rules.
        var earlier = new DecisionToApply("d0", "9/QĐ-UBND", D(2018, 12, 1), [DecisionKind.Amend], ["bcd-gia-lai"], GiaLai,
            [new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat("nguyen-van-a"), MembershipRole.Member))]);
        await store.ApplyToRegisterAsync(earlier);
        // A context cleared (a transaction started again) holds none of the register it had.
        apply.ChangeTracker.Clear();
        await store.ApplyToRegisterAsync(Appointing("d3", "tran-thi-b"));

        Assert.Equal(3, commands.Texts.Count(text => text.Contains("committee_names", StringComparison.Ordinal)));
    }

    private static DecisionToApply Appointing(string decisionId, string personId) =>
        new(decisionId, decisionId + "/QĐ-UBND", D(2019, 7, 1), [DecisionKind.Amend], ["bcd-gia-lai"], GiaLai,
            [new Appoint("changes[0].appoint", null, "bcd-gia-lai", Seat(PersonSeat(personId), MembershipRole.Member))]);

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
