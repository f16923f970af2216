// The decision path, measured from outside: IssueDecision called → DecisionApplied on a WatchEvents stream opened
// before, split into hops from the services' own rows, and decisions applied per second, beside a bare insert +
// publish on the same PostgreSQL and RabbitMQ in the same run.
//
//   eval "$(eng/infra.sh env)"   # or set STEERING_TEST_POSTGRES / STEERING_TEST_RABBITMQ / STEERING_TEST_REDIS
//   dotnet run -c Release --project bench/DecisionPath -- distributed [decisions=200]
//   dotnet run -c Release --project bench/DecisionPath -- sandbox [decisions=200]
//
// distributed: Membership, Decisions and Notifications as three processes (their Release builds, as
// eng/run-distributed.sh runs them) on fresh databases, queues and exchanges of their own; sandbox: services/AllInOne
// in a fresh data folder. Every scenario issues decisions that each appoint one new member; drafts are created
// beforehand, only IssueDecision is timed.
using Egov.Steering.Bench;
using Egov.Steering.Bench.DecisionPath;

var mode = args.Length > 0 ? args[0] : "distributed";
var decisions = args.Length > 1 && int.TryParse(args[1], out var count) ? count : 200;
if (mode is not ("distributed" or "sandbox"))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/DecisionPath -- distributed|sandbox [decisions=200]");
    return 2;
}

var infrastructure = Infrastructure.FromEnvironment();
Console.WriteLine($"decision path, {mode} mode, {decisions} decisions per scenario; load average {Machine.LoadAverage()}, {Environment.ProcessorCount} cores");

var limit = await BareLimit.MeasureAsync(infrastructure, decisions);
Console.WriteLine($"limit  bare insert+publish (PostgreSQL commit, RabbitMQ confirm): 1 client {limit.OneClient,7:F0}/s  8 clients {limit.EightClients,7:F0}/s   one round trip ms: {limit.Latency}");

await using var system = mode == "distributed"
    ? await RunningSystem.StartDistributedAsync(infrastructure)
    : await RunningSystem.StartSandboxAsync();
var workload = await Workload.PrepareAsync(system, committees: 16);
// The warm-up leaves the tiered JIT recompiling hot methods in the background: for a minute or more on a loaded machine,
// which the first scenario then paid for (Membership 69 ms of CPU a decision instead of ~25). Measured from when every
// service is idle (under 30 ms of CPU a second over 5 s), or after 3 minutes.
var (settled, idle) = await system.WaitUntilIdleAsync(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(3));
Console.WriteLine($"idle after {settled.TotalSeconds:F0} s: CPU ms per second  {idle}");

foreach (var scenario in new[] { new Scenario(1, 1), new Scenario(8, 1), new Scenario(8, 16) })
{
    var run = await workload.RunAsync(scenario, decisions);
    var hops = await system.ReadHopsAsync(run.Issued);
    Console.WriteLine();
    Console.WriteLine($"{scenario}: {run.Issued.Count} decisions applied in {run.Elapsed.TotalSeconds:F2} s = {run.Issued.Count / run.Elapsed.TotalSeconds,7:F1} decisions/s (limit {(scenario.Clients == 1 ? limit.OneClient : limit.EightClients):F0}/s)");
    hops.Print();
    Console.WriteLine($"  CPU ms per decision: {run.CpuPerDecision}");
    if (run.StatementsPerDecision is { } statements)
    {
        Console.WriteLine($"  PostgreSQL statements per decision: {statements}");
    }
}

Console.WriteLine();
Console.WriteLine($"load average at the end {Machine.LoadAverage()}");
return 0;
