using System.Diagnostics;
using RabbitMQ.Client;

namespace Egov.Steering.Bench.DecisionPath;

/// <summary>
/// The floor of one hop (<see cref="BareHop"/>: a row committed, then its message published and confirmed) as fast as
/// one and eight clients can go, on the same servers as the services.
/// </summary>
internal sealed record BareLimit(double OneClient, double EightClients, Latencies Latency)
{
    public static async Task<BareLimit> MeasureAsync(Infrastructure infrastructure, int operations)
    {
        var database = await infrastructure.CreateDatabaseAsync($"bench_limit_{Guid.NewGuid():N}");
        var factory = new ConnectionFactory { Uri = infrastructure.RabbitMq };
        await using var connection = await factory.CreateConnectionAsync();
        try
        {
            await using var hop = await BareHop.CreateAsync(database, connection);
            var latency = new Latencies();
            await RunAsync(hop, 1, Math.Min(operations, 100), null); // warm-up
            var one = await RunAsync(hop, 1, operations, latency);
            var eight = await RunAsync(hop, 8, operations * 2, null);
            return new BareLimit(one, eight, latency);
        }
        finally
        {
            await infrastructure.DropDatabaseAsync(database);
        }
    }

    private static async Task<double> RunAsync(BareHop hop, int clients, int operations, Latencies? latency)
    {
        var remaining = operations;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            await using var channel = await hop.OpenChannelAsync();
            var body = new byte[600];
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var one = Stopwatch.GetTimestamp();
                await hop.CommitThenPublishAsync(channel, Guid.CreateVersion7(), body);
                latency?.Record(Stopwatch.GetElapsedTime(one));
            }
        }));
        return operations / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
