namespace Egov.Steering.Bench.DecisionPath;

/// <summary>
/// Where the time between IssueDecision and the stream goes, from the rows each service wrote (one machine, one clock):
/// Decisions' outbox row (commit) and its publication, Membership's inbox record (handling starts), its DecisionApplied
/// outbox row (commit) and publication, Notifications' log row, and the stream's receipt.
/// </summary>
internal sealed class Hops
{
    private static readonly string[] Names =
    [
        "IssueDecision call → DecisionIssued committed (Decisions)",
        "→ published by Decisions' relay",
        "→ taken by Membership (inbox record)",
        "→ applied, DecisionApplied committed (Membership)",
        "→ published by Membership's relay",
        "→ appended to the log (Notifications)",
        "→ received on the WatchEvents stream",
    ];

    private readonly Latencies[] hops = [.. Names.Select(_ => new Latencies())];
    private readonly Latencies total = new();

    public void Add(params DateTime[] times)
    {
        for (var hop = 0; hop < hops.Length; hop++)
        {
            if (times[hop] != default && times[hop + 1] != default)
            {
                hops[hop].Record(times[hop + 1] - times[hop]);
            }
        }

        total.Record(times[^1] - times[0]);
    }

    public void Print()
    {
        for (var hop = 0; hop < hops.Length; hop++)
        {
            Console.WriteLine($"  {Names[hop],-58} ms: {hops[hop]}");
        }

        Console.WriteLine($"  {"total: IssueDecision called → DecisionApplied on the stream",-58} ms: {total}");
    }
}
