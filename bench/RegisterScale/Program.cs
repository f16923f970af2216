// A synthetic register at commune scale in a fresh PostgreSQL database, and what the views and a decision cost on it.
//
//   eval "$(bash eng/infra.sh env)"
//   dotnet run -c Release --project bench/RegisterScale -- [scale=1] [--keep]
//
// Scale 1: 100,000 committees and 2,000,000 memberships (20 a committee: three ended terms of four and the current
// eight): the national committee, one for each ministry and 2025 province of the reference data, 3,321 commune
// committees (the 2025 reform's count) under the provinces, three merged predecessors of each commune committee
// (ended 2025-07-01), one commune committee with a long history (1,000 past decisions, as many ended seats) and
// dissolved ones for the rest. Names are plainly synthetic ("xã Thử Nghiệm 17"). It is written
// with binary COPY after the migrations and the seeding, then the views are served through CommitteeViews with the
// in-process cache (Cache:Provider=Memory, as in the embedded mode) and decisions applied through RegisterStore and
// ComplianceRecalculator, as DecisionIssuedHandler applies them (without its inbox and outbox rows). Printed: the cost
// of the overview and of a committee view on a cache hit and when rebuilt after a change (goals: overview ≤ 30 s,
// one committee ≤ 50 ms), and the time to apply a decision to a province's committee, a commune's and the one with the
// long history (which should cost what the commune's does). The database is
// dropped at the end unless --keep (to look at its query plans).
using System.Diagnostics;
using System.Globalization;
using Egov.Steering.Membership;
using Egov.Steering.Membership.Compliance;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Events;
using Egov.Steering.Membership.Views;
using Egov.Steering.ReferenceData;
using Egov.Steering.Storage;
using Egov.Steering.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

var scale = double.Parse(args.ElementAtOrDefault(0) ?? "1", CultureInfo.InvariantCulture);
var keep = args.Contains("--keep");
var server = Environment.GetEnvironmentVariable("STEERING_TEST_POSTGRES")
    ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";
var databaseName = "register_scale_" + Guid.NewGuid().ToString("N")[..12];
await using (var admin = new NpgsqlConnection(server))
{
    await admin.OpenAsync();
    await new NpgsqlCommand($"CREATE DATABASE {databaseName}", admin).ExecuteNonQueryAsync();
}

var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = databaseName }.ConnectionString;
var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
// The migrations' first look for their history table fails on a fresh database, as it should.
builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None);
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Storage:Provider"] = "PostgreSQL",
    ["ConnectionStrings:Database"] = connectionString,
    ["Bus:Transport"] = "InMemory",
    ["Cache:Provider"] = "Memory",
});
builder.AddServiceDbContext<MembershipDbContext>();
builder.AddMembershipEvents();
builder.Services.AddScoped<RegisterStore>();
await using var services = builder.Services.BuildServiceProvider();
var today = services.GetRequiredService<MembershipClock>().Today;
Console.WriteLine($"register scale {scale.ToString(CultureInfo.InvariantCulture)} in {databaseName}; {Environment.ProcessorCount} cores, load average {LoadAverage()}");

List<OrganisationRecord> organisations;
await using (var scope = services.CreateAsyncScope())
{
    var db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
    await db.Database.MigrateAsync();
    await MembershipSeeder.SeedAsync(db);
    organisations = [.. (await db.Organisations.AsNoTracking().ToListAsync())
        .Where(o => o.InForceOn(today) && o.Level is CommitteeLevel.Ministry or CommitteeLevel.Province)];
}

var register = SyntheticRegister.Plan(scale, organisations);
var watch = Stopwatch.StartNew();
await SyntheticRegister.WriteAsync(connectionString, register);
Console.WriteLine($"written: {register.Committees.Count:N0} committees, {register.Committees.Count * SyntheticRegister.SeatsPerCommittee:N0} memberships, {register.People:N0} people in {watch.Elapsed.TotalSeconds:F1} s (COPY, indexes, ANALYZE)");

var province = register.Committees.First(c => c.Level == CommitteeLevel.Province);
var commune = register.Committees.First(c => c.Level == CommitteeLevel.Commune && c.EndDate is null);
var longHistory = register.Committees.Single(c => c.PastDecisions > 0);
Console.WriteLine($"overview and views as of {today:yyyy-MM-dd}; committee view of {province.Id} and of {commune.Id} (with its three predecessors)");

await MeasureViewsAsync("first build");
var decisions = 0;
foreach (var committee in new[] { province, commune, longHistory })
{
    var times = new List<(double Apply, double Save, double Compliance)>();
    for (var i = 0; i < 5; i++)
    {
        times.Add(await ApplyAsync(committee, register.PersonAt(i + 1)));
    }

    Console.WriteLine($"decision apply on {committee.Id} ({committee.PastDecisions + 2} decisions, {committee.Seats} seats before; a new member): "
        + $"total {Summary([.. times.Select(t => t.Apply + t.Save + t.Compliance)])}; load and rules {Summary([.. times.Select(t => t.Apply)])}, "
        + $"save {Summary([.. times.Select(t => t.Save)])}, compliance and save {Summary([.. times.Select(t => t.Compliance)])}");
}

await MeasureViewsAsync("after a change");
if (!keep)
{
    NpgsqlConnection.ClearAllPools();
    await using var admin = new NpgsqlConnection(server);
    await admin.OpenAsync();
    await new NpgsqlCommand($"DROP DATABASE {databaseName} WITH (FORCE)", admin).ExecuteNonQueryAsync();
}

return 0;

async Task MeasureViewsAsync(string when)
{
    var overview = await TimeAsync(views => views.GetNationalOverviewBytesAsync(today, CancellationToken.None));
    var provinceView = await TimeAsync(views => views.GetCommitteeViewBytesAsync(province.Id, today, CancellationToken.None));
    var communeView = await TimeAsync(views => views.GetCommitteeViewBytesAsync(commune.Id, today, CancellationToken.None));
    Console.WriteLine($"{when}: overview {overview.Elapsed.TotalMilliseconds:F0} ms ({overview.Bytes:N0} bytes), {province.Id} {provinceView.Elapsed.TotalMilliseconds:F1} ms ({provinceView.Bytes:N0} bytes), {commune.Id} {communeView.Elapsed.TotalMilliseconds:F1} ms ({communeView.Bytes:N0} bytes)");
    const int Hits = 20_000;
    var hits = Stopwatch.StartNew();
    for (var i = 0; i < Hits; i++)
    {
        await TimeAsync(views => views.GetNationalOverviewBytesAsync(today, CancellationToken.None));
        await TimeAsync(views => views.GetCommitteeViewBytesAsync(commune.Id, today, CancellationToken.None));
    }

    Console.WriteLine($"{when}: cache hit (overview + a committee view, through a scope as a request) {hits.Elapsed.TotalMicroseconds / (2 * Hits):F1} µs each");
}

async Task<(TimeSpan Elapsed, int Bytes)> TimeAsync(Func<CommitteeViews, Task<byte[]>> read)
{
    await using var scope = services.CreateAsyncScope();
    var views = scope.ServiceProvider.GetRequiredService<CommitteeViews>();
    var started = Stopwatch.GetTimestamp();
    var bytes = await read(views);
    return (Stopwatch.GetElapsedTime(started), bytes.Length);
}

async Task<(double Apply, double Save, double Compliance)> ApplyAsync(SyntheticCommittee committee, string personId)
{
    var id = $"qd-bench-{++decisions}";
    var decision = new DecisionToApply(id, $"{decisions}/QĐ-TN", CivilDate.Of(today), [DecisionKind.Amend], [committee.Id], committee.Jurisdiction,
        [new Appoint("changes[0].appoint", null, committee.Id, new RosterSeat(new Holder(personId, null), RoleSet.Of(MembershipRole.Member)))]);
    await using var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
    var started = Stopwatch.GetTimestamp();
    var (outcome, applied) = await scope.ServiceProvider.GetRequiredService<RegisterStore>().ApplyToRegisterAsync(decision);
    if (outcome.Result != DecisionResult.Applied)
    {
        throw new InvalidOperationException($"{id} was not applied: {string.Join("; ", outcome.Problems.Select(p => p.Description))}");
    }

    var loaded = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    await db.SaveChangesAsync();
    var saved = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    await scope.ServiceProvider.GetRequiredService<ComplianceRecalculator>().RecomputeAsync(applied, outcome.AffectedCommitteeIds, EventCause.None);
    await db.SaveChangesAsync();
    var done = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    return (loaded, saved - loaded, done - saved);
}

static string Summary(List<double> milliseconds) =>
    $"{milliseconds[0]:F1} ms first, then median {milliseconds.Skip(1).Order().ElementAt((milliseconds.Count - 1) / 2):F1} ms";

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

/// <param name="PastDecisions">Decisions before the current seats, each recorded on the committee with a seat it started and ended.</param>
internal sealed record SyntheticCommittee(
    string Id, CommitteeLevel Level, string Jurisdiction, string? ParentId, string Name, CivilDate? EndDate, CommitteeState? EndState, string? SuccessorId,
    int PastDecisions = 0)
{
    public int Seats => SyntheticRegister.SeatsPerCommittee + PastDecisions;
}

internal sealed record SyntheticRegister(IReadOnlyList<SyntheticCommittee> Committees, int People)
{
    public const int SeatsPerCommittee = 20;
    private const int CurrentSeats = 8;
    private const int SeatsPerTerm = 4;
    private static readonly CivilDate Founded = CivilDate.Of(2015, 1, 1);
    private static readonly CivilDate[] TermStarts = [CivilDate.Of(2015, 1, 1), CivilDate.Of(2018, 1, 1), CivilDate.Of(2021, 1, 1), CivilDate.Of(2024, 3, 1)];
    private static readonly CivilDate Reform = CivilDate.Of(2025, 7, 1);
    private static readonly string[] Chair = ["Chair"];
    private static readonly string[] ViceChair = ["ViceChair"];
    private static readonly string[] Member = ["Member"];

    public string PersonAt(int index) => "nguoi-thu-nghiem-" + (index % People).ToString(CultureInfo.InvariantCulture);

    /// <summary>The committees of the scale: those of the overview, the communes, their predecessors, dissolved ones.</summary>
    public static SyntheticRegister Plan(double scale, IReadOnlyList<OrganisationRecord> organisations)
    {
        var total = (int)Math.Round(100_000 * scale);
        var committees = new List<SyntheticCommittee>
        {
            new("uy-ban-quoc-gia-thu-nghiem", CommitteeLevel.National, Organisations.National, null, "Ủy ban quốc gia Thử Nghiệm", null, null, null),
        };
        committees.AddRange(organisations.Select(o => new SyntheticCommittee(
            "bcd-tn-" + o.Code, o.Level, o.Code, committees[0].Id, "Ban Chỉ đạo Thử Nghiệm " + o.DisplayName, null, null, null)));
        var provinces = committees.Where(c => c.Level == CommitteeLevel.Province).ToList();
        var communes = Math.Max(1, (int)Math.Round(3_321 * scale));
        for (var i = 1; i <= communes; i++)
        {
            var parent = provinces[i % provinces.Count];
            var id = Invariant($"xa-tn-{i}");
            committees.Add(new(id, CommitteeLevel.Commune, Invariant($"commune-tn-{i}"), parent.Id, Invariant($"Ban Chỉ đạo xã Thử Nghiệm {i}"), null, null, null));
            for (var k = 1; k <= 3; k++)
            {
                committees.Add(new(Invariant($"xa-cu-tn-{i}-{k}"), CommitteeLevel.Commune, Invariant($"commune-cu-tn-{i}-{k}"), parent.Id,
                    Invariant($"Ban Chỉ đạo xã cũ Thử Nghiệm {i}-{k}"), Reform, CommitteeState.Merged, id));
            }
        }

        // A commune committee with a long history: 1,000 past decisions and as many ended seats.
        committees.Add(new("xa-tn-lich-su-dai", CommitteeLevel.Commune, "commune-tn-lich-su-dai", provinces[0].Id, "Ban Chỉ đạo xã Thử Nghiệm Lịch Sử Dài",
            null, null, null, PastDecisions: 1_000));
        for (var n = 1; committees.Count < total; n++)
        {
            var parent = provinces[n % provinces.Count];
            committees.Add(new(Invariant($"to-cu-tn-{n}"), CommitteeLevel.Commune, Invariant($"commune-cu-tn-{n}"), parent.Id,
                Invariant($"Ban Chỉ đạo cũ Thử Nghiệm {n}"), Reform, CommitteeState.Dissolved, null));
        }

        return new(committees, Math.Max(SeatsPerCommittee * 2, committees.Count * SeatsPerCommittee / 4));
    }

    /// <summary>Everything by binary COPY, then ANALYZE so the planner sees the sizes.</summary>
    public static async Task WriteAsync(string connectionString, SyntheticRegister register)
    {
        // No command timeout: a COPY of two million rows takes longer than the default 30 s on a loaded machine.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString);
        await connection.OpenAsync();
        // Foreign keys unchecked while loading (the rows refer to each other by construction), skipping a trigger per
        // row. The connection is a superuser's, as the test server's is.
        await new NpgsqlCommand("SET session_replication_role = replica", connection).ExecuteNonQueryAsync();
        var now = DateTime.UtcNow;
        await CopyAsync(connection, "people (id, display_name, other_names, version, created_at, updated_at, search_text, sort_key)",
            Enumerable.Range(0, register.People), async (import, i) =>
            {
                var name = Invariant($"Người Thử Nghiệm {i}");
                await WriteRowAsync(import, register.PersonAt(i), name, Array.Empty<string>(), 0L, now, now, VietnameseText.Fold(name), VietnameseText.SortKey(name));
            });
        await CopyAsync(connection,
            "committees (id, level, jurisdiction, parent_id, founding_date, founding_decision_id, end_date, end_state, successor_id, other_spellings, version, membership_sequence, created_at, updated_at, search_text, sort_key)",
            register.Committees, async (import, c) => await WriteRowAsync(import, c.Id, c.Level.ToString(), c.Jurisdiction, c.ParentId, Founded.ToString(),
                DecisionOf(c, 1), c.EndDate?.ToString(), c.EndState?.ToString(), c.SuccessorId, Array.Empty<string>(), (long)c.Seats,
                c.Seats, now, now, VietnameseText.Fold(c.Name), VietnameseText.SortKey(c.Name)));
        await CopyAsync(connection, "committee_names (committee_id, display_name, start_date, decision_id)",
            register.Committees, async (import, c) => await WriteRowAsync(import, c.Id, c.Name, Founded.ToString(), DecisionOf(c, 1)));
        await CopyAsync(connection, "committee_decisions (committee_id, decision_id, number, kinds, effective_date)",
            register.Committees.SelectMany(c => Enumerable.Range(1, 2 + c.PastDecisions).Select(n => (c, n))), async (import, d) =>
            {
                var (c, n) = d;
                var (kind, date) = n switch
                {
                    1 => ("Establish", TermStarts[0]),
                    2 => ("Consolidate", TermStarts[^1]),
                    _ => ("Amend", Period(c, SeatsPerCommittee + n - 3).Start),
                };
                await WriteRowAsync(import, c.Id, DecisionOf(c, n), Invariant($"{n}/QĐ-TN"), new[] { kind }, date.ToString());
            });
        var seats = register.Committees.SelectMany((c, index) => Enumerable.Range(0, c.Seats).Select(seat => (c, index, seat))).ToList();
        await CopyAsync(connection,
            "memberships (committee_id, id, person_id, start_date, end_date, appointing_decision_id, ending_decision_id, revision, created_at, updated_at)",
            seats, async (import, s) =>
            {
                var (start, end) = Period(s.c, s.seat);
                var appointing = s.seat >= SeatsPerCommittee ? DecisionOf(s.c, s.seat - SeatsPerCommittee + 3)
                    : s.seat >= SeatsPerCommittee - CurrentSeats ? DecisionOf(s.c, 2) : null;
                await WriteRowAsync(import, s.c.Id, (s.seat + 1).ToString(CultureInfo.InvariantCulture), register.PersonAt((s.index * SeatsPerCommittee) + s.seat),
                    start.ToString(), end?.ToString(), appointing, null, 0, now, now);
            });
        await CopyAsync(connection,
            "membership_role_periods (committee_membership_committee_id, committee_membership_id, roles, start_date, end_date)",
            seats, async (import, s) =>
            {
                var (start, end) = Period(s.c, s.seat);
                var current = s.seat - (SeatsPerCommittee - CurrentSeats);
                var roles = s.seat >= SeatsPerCommittee ? Member
                    : current == 0 || (current < 0 && s.seat % SeatsPerTerm == 0) ? Chair : current == 1 ? ViceChair : Member;
                await WriteRowAsync(import, s.c.Id, (s.seat + 1).ToString(CultureInfo.InvariantCulture), roles, start.ToString(), end?.ToString());
            });
        await new NpgsqlCommand("ANALYZE", connection).ExecuteNonQueryAsync();
    }

    private static string DecisionOf(SyntheticCommittee committee, int n) => Invariant($"qd-tn-{committee.Id}-{n}");

    /// <summary>
    /// Three ended terms of four seats, then the current eight (ended with the committee when it has ended); past
    /// decisions' seats after those, three days each, one after the other from the founding.
    /// </summary>
    private static (CivilDate Start, CivilDate? End) Period(SyntheticCommittee committee, int seat)
    {
        if (seat >= SeatsPerCommittee)
        {
            var start = Founded.FirstDay.AddDays(3 * (seat - SeatsPerCommittee));
            return (CivilDate.Of(start), CivilDate.Of(start.AddDays(3)));
        }

        var term = Math.Min(seat / SeatsPerTerm, TermStarts.Length - 1);
        return term < TermStarts.Length - 1 ? (TermStarts[term], TermStarts[term + 1]) : (TermStarts[term], committee.EndDate);
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, string table, IEnumerable<T> rows, Func<NpgsqlBinaryImporter, T, Task> write)
    {
        await using var import = await connection.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await import.StartRowAsync();
            await write(import, row);
        }

        await import.CompleteAsync();
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter import, params object?[] values)
    {
        foreach (var value in values)
        {
            switch (value)
            {
                case null: await import.WriteNullAsync(); break;
                case DateTime time: await import.WriteAsync(time, NpgsqlDbType.TimestampTz); break;
                case string[] texts: await import.WriteAsync(texts, NpgsqlDbType.Array | NpgsqlDbType.Text); break;
                case string text: await import.WriteAsync(text, NpgsqlDbType.Text); break;
                case long number: await import.WriteAsync(number, NpgsqlDbType.Bigint); break;
                case int number: await import.WriteAsync(number, NpgsqlDbType.Integer); break;
                default: throw new ArgumentException($"no COPY type for {value.GetType()}", nameof(values));
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
