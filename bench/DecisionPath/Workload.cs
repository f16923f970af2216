using System.Collections.Concurrent;
using System.Diagnostics;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Events.V1;
using Egov.Steering.Membership.V1;
using Egov.Steering.Notifications.V1;
using Egov.Steering.Types.V1;
using Grpc.Core;

namespace Egov.Steering.Bench.DecisionPath;

/// <summary>How many clients issue, on how many committees (decision i goes to committee i mod committees).</summary>
internal sealed record Scenario(int Clients, int Committees)
{
    public override string ToString() => $"{Clients} client{(Clients > 1 ? "s" : "")}, {Committees} committee{(Committees > 1 ? "s" : "")}";
}

/// <summary>A decision issued by the bench: when IssueDecision was called and when its DecisionApplied reached the stream.</summary>
internal sealed record IssuedDecision(string Name, DateTime CalledAt, DateTime ReceivedAt);

internal sealed record ScenarioRun(IReadOnlyList<IssuedDecision> Issued, TimeSpan Elapsed, string CpuPerDecision, string? StatementsPerDecision);

/// <summary>
/// Committees of 2025 provinces founded by the bench, and decisions that each appoint one new member. One client
/// waits for each decision's DecisionApplied before issuing the next (latency); eight clients issue one after another
/// as fast as IssueDecision answers (throughput: the run lasts until the last DecisionApplied arrives).
/// </summary>
internal sealed class Workload
{
    private static readonly string[] ProvinceCodes = ["01", "04", "08", "11", "12", "14", "15", "19", "20", "22", "24", "25", "31", "33", "37", "38"];
    private static readonly CivilDate Founded = Day(2025, 8, 1);

    private readonly RunningSystem system;
    private readonly string run = Guid.NewGuid().ToString("N")[..6];
    private readonly List<Province> provinces;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<DateTime>> outcomes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private int sequence;

    private Workload(RunningSystem system)
    {
        this.system = system;
        provinces = [.. ProvinceCodes.Select(code => new Province(system, $"province-2025-{code}", $"b{run}-{code}"))];
    }

    public static async Task<Workload> PrepareAsync(RunningSystem system, int committees)
    {
        var workload = new Workload(system);
        await workload.WatchAsync();
        foreach (var province in workload.provinces.Take(committees))
        {
            var chair = await province.PersonAsync("Chủ tịch " + province.Organisation);
            var founding = province.Draft(workload.Number(), Founded, DecisionKind.Establish,
                new Change
                {
                    EstablishCommittee = new EstablishCommittee
                    {
                        CommitteeId = province.CommitteeId,
                        DisplayName = "Ban Chỉ đạo chuyển đổi số " + province.Organisation,
                        Level = CommitteeLevel.Province,
                        Jurisdiction = province.Organisation,
                        MandateTopics = { MandateTopic.DigitalTransformation },
                    },
                },
                province.Appoint(chair, MembershipRole.Chair));
            var draft = await province.Decisions.CreateDecisionAsync(new CreateDecisionRequest { Decision = founding, DecisionId = workload.NextId() });
            await workload.IssueAndWaitAsync(province, draft);
        }

        // Warm-up: every path compiled to its final tier and every pool filled before anything is measured. The tiered JIT
        // recompiles a method after 30 calls with instrumentation and after 30 more optimized, on one background thread,
        // and starts counting calls only once no new method has been compiled for a while: after a fixed warm-up of 96
        // decisions a profile still found that thread taking 37% of Decisions' CPU in the first seconds of the first
        // scenario. Rounds go on until the services' tiering threads are nearly idle under load (or 12 rounds).
        await workload.RunAsync(new Scenario(1, committees), committees * 6);
        for (var round = 1; round <= 12; round++)
        {
            var before = system.TieredCompilation();
            await workload.RunAsync(new Scenario(1, committees), WarmUpRound);
            var tiering = system.TieredCompilationMsSince(before);
            Console.WriteLine($"warm-up round {round}: {WarmUpRound} decisions, tiered JIT {tiering:F0} ms of CPU");
            if (tiering < WarmUpRound * QuietTieringMsPerDecision)
            {
                break;
            }
        }

        return workload;
    }

    private const int WarmUpRound = 32;

    // Under this the JIT's background work is noise beside the ~50-100 ms of CPU a decision costs the services.
    private const double QuietTieringMsPerDecision = 1;

    public async Task<ScenarioRun> RunAsync(Scenario scenario, int count)
    {
        var drafts = new ConcurrentQueue<(Province Province, Decision Draft)>();
        for (var i = 0; i < count; i++)
        {
            var province = provinces[i % scenario.Committees];
            var member = await province.PersonAsync($"Thành viên {i} {run}");
            var decision = province.Draft(Number(), Day(2025, 9, 1), DecisionKind.Amend, province.Appoint(member, MembershipRole.Member));
            drafts.Enqueue((province, await province.Decisions.CreateDecisionAsync(new CreateDecisionRequest { Decision = decision, DecisionId = NextId() })));
        }

        // The people and drafts just created are events too, which the services relay and log for a while: measured from
        // when they are done, so that a decision's CPU is its own.
        await system.WaitUntilIdleAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        var issued = new ConcurrentBag<IssuedDecision>();
        var pending = new ConcurrentBag<Task>();
        var cpuBefore = system.CpuTimes();
        var statementsBefore = await system.StatementCountsAsync();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, scenario.Clients).Select(async _ =>
        {
            while (drafts.TryDequeue(out var next))
            {
                var outcome = IssueAsync(next.Province, next.Draft, issued);
                if (scenario.Clients == 1)
                {
                    await outcome;
                }
                else
                {
                    pending.Add(outcome);
                    await outcome.Issued;
                }
            }
        }));
        await Task.WhenAll(pending);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpuPerDecision = system.CpuTimes().PerDecisionSince(cpuBefore, count);
        var statements = statementsBefore is null ? null : (await system.StatementCountsAsync())?.PerDecisionSince(statementsBefore, count);
        return new ScenarioRun([.. issued.OrderBy(d => d.CalledAt)], elapsed, cpuPerDecision, statements);
    }

    private async Task IssueAndWaitAsync(Province province, Decision draft) => await IssueAsync(province, draft, []);

    /// <summary>Issues the draft; the task ends when its DecisionApplied is on the stream, <c>Issued</c> when the call returned.</summary>
    private PendingDecision IssueAsync(Province province, Decision draft, ConcurrentBag<IssuedDecision> issued)
    {
        var outcome = outcomes.GetOrAdd(draft.Name, _ => new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously));
        var calledAt = DateTime.UtcNow;
        var call = province.Decisions.IssueDecisionAsync(new IssueDecisionRequest { Name = draft.Name, Etag = draft.Etag }).ResponseAsync;
        return new PendingDecision(call, Applied());

        async Task Applied()
        {
            await call;
            var receivedAt = await outcome.Task.WaitAsync(TimeSpan.FromMinutes(2));
            issued.Add(new IssuedDecision(draft.Name, calledAt, receivedAt));
        }
    }

    /// <summary>One stream opened before anything is issued, as a dashboard's: every outcome, stamped on arrival.</summary>
    private async Task WatchAsync()
    {
        var client = new NotificationsService.NotificationsServiceClient(system.Channel(system.Notifications, "national"));
        var call = client.WatchEvents(new WatchEventsRequest(), cancellationToken: stop.Token);
        var opened = new TaskCompletionSource();
        _ = Task.Run(async () =>
        {
            try
            {
                await call.ResponseHeadersAsync;
                opened.TrySetResult();
                while (await call.ResponseStream.MoveNext(stop.Token))
                {
                    var receivedAt = DateTime.UtcNow;
                    if (call.ResponseStream.Current.Event is not { } envelope)
                    {
                        continue;
                    }

                    switch (envelope.EventCase)
                    {
                        case EventEnvelope.EventOneofCase.DecisionApplied:
                            Outcome(envelope.DecisionApplied.Decision).TrySetResult(receivedAt);
                            break;
                        case EventEnvelope.EventOneofCase.DecisionRejected:
                            Outcome(envelope.DecisionRejected.Decision).TrySetException(new InvalidOperationException(
                                $"{envelope.DecisionRejected.Decision} was rejected: {string.Join("; ", envelope.DecisionRejected.Reasons)}"));
                            break;
                    }
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
            {
                // the bench is over
            }
            catch (Exception e)
            {
                opened.TrySetException(e);
                Console.Error.WriteLine($"WatchEvents failed: {e.Message}");
            }
        });
        await opened.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private TaskCompletionSource<DateTime> Outcome(string decision) =>
        outcomes.GetOrAdd(decision, _ => new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously));

    private string Number() => $"{Interlocked.Increment(ref sequence)}-{run}/QĐ-UBND";

    private string NextId() => $"d-{run}-{Interlocked.Increment(ref sequence)}";

    private static CivilDate Day(int year, int month, int day) => new() { Year = year, Month = month, Day = day, Precision = DatePrecision.Day };

    private sealed record PendingDecision(Task Issued, Task Applied)
    {
        public System.Runtime.CompilerServices.TaskAwaiter GetAwaiter() => Applied.GetAwaiter();

        public static implicit operator Task(PendingDecision pending) => pending.Applied;
    }

    /// <summary>A province's system: its own token, its committee, its people and decisions.</summary>
    private sealed class Province(RunningSystem system, string organisation, string committeeId)
    {
        private readonly MembershipService.MembershipServiceClient membership = new(system.Channel(system.Membership, organisation));

        public string Organisation => organisation;

        public string CommitteeId => committeeId;

        public DecisionsService.DecisionsServiceClient Decisions { get; } = new(system.Channel(system.Decisions, organisation));

        public async Task<string> PersonAsync(string displayName) =>
            (await membership.CreatePersonAsync(new CreatePersonRequest { Person = new Person { DisplayName = displayName } })).Name;

        public Change Appoint(string person, MembershipRole role) => new()
        {
            Appoint = new Appoint
            {
                Committee = "committees/" + committeeId,
                Entry = new RosterEntry { Holder = new Holder { Person = person }, Roles = { role } },
            },
        };

        public Decision Draft(string number, CivilDate effective, DecisionKind kind, params Change[] changes)
        {
            var decision = new Decision
            {
                Number = number,
                Issuer = new Issuer { Organisation = organisation, DisplayName = "Ủy ban nhân dân " + organisation },
                Signer = new Signer { DisplayName = "Nguyễn Văn Bench", Title = "Chủ tịch" },
                SignedDate = effective,
                EffectiveDate = effective,
                Title = "Về Ban Chỉ đạo chuyển đổi số",
                Kinds = { kind },
                SubjectCommittees = { "committees/" + committeeId },
            };
            decision.Changes.Add(changes);
            return decision;
        }
    }
}
