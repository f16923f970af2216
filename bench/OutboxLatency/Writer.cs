using Egov.Steering.Events.V1;
using Egov.Steering.Messaging.Outbox;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.OutboxLatency;

/// <summary>Commits one domain change and its event per transaction, as a service's write would.</summary>
public sealed class Writer(IServiceProvider services, LatencyProbe probe, string connectionString)
{
    // Without the interceptor: no in-process signal and no NOTIFY, so only the relay's fallback poll finds the rows.
    private readonly DbContextOptions<BenchDbContext> _withoutWakeUp = new DbContextOptionsBuilder<BenchDbContext>()
        .UseNpgsql(connectionString)
        .UseSnakeCaseNamingConvention()
        .Options;

    private long _version;

    public async Task<List<Guid>> SteadyAsync(string committee, int count, int perSecond, bool wakeUp = true)
    {
        var ids = new List<Guid>(count);
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / perSecond));
        for (var i = 0; i < count; i++)
        {
            await pace.WaitForNextTickAsync();
            ids.Add(await CommitAsync($"committees/{committee}-{i % 16}", wakeUp));
        }

        await WaitForAllAsync(ids);
        return ids;
    }

    public async Task<List<Guid>> BurstsAsync(string committee, int count, int burst)
    {
        var ids = new List<Guid>(count);
        for (var sent = 0; sent < count; sent += burst)
        {
            var size = Math.Min(burst, count - sent);
            var batches = await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
            {
                var mine = new List<Guid>();
                for (var i = writer; i < size; i += 4)
                {
                    mine.Add(await CommitAsync($"committees/{committee}-{writer}", wakeUp: true));
                }

                return mine;
            })));
            ids.AddRange(batches.SelectMany(b => b));
            await WaitForAllAsync(ids);
        }

        return ids;
    }

    private async Task<Guid> CommitAsync(string committee, bool wakeUp)
    {
        await using var scope = services.CreateAsyncScope();
        await using var unsignalled = wakeUp ? null : new BenchDbContext(_withoutWakeUp);
        var db = unsignalled ?? scope.ServiceProvider.GetRequiredService<BenchDbContext>();
        // One counter for all committees: each committee's versions still rise in commit order.
        var version = Interlocked.Increment(ref _version);
        var envelope = new EventEnvelope
        {
            Id = Guid.CreateVersion7().ToString(),
            Type = "egov.steering.events.v1.CommitteeUpdated",
            Source = "/bench/outbox-latency",
            Subject = committee,
            Time = Timestamp.FromDateTime(DateTime.UtcNow),
            Aggregate = committee,
            AggregateVersion = version,
            CommitteeUpdated = new CommitteeUpdated { Committee = committee },
        };
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Add(new CommitteeChange { Committee = committee, Version = version });
        db.AddOutboxEvent(envelope);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        var id = Guid.Parse(envelope.Id);
        probe.Committed(id);
        return id;
    }

    private async Task WaitForAllAsync(List<Guid> ids)
    {
        while (!probe.HasAll(ids))
        {
            await Task.Delay(5);
        }
    }
}
