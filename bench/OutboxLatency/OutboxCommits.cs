using Egov.Steering.Events.V1;
using Egov.Steering.Messaging.Outbox;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.OutboxLatency;

/// <summary>Commits one domain change and its event per transaction through the outbox, as a service's write would.</summary>
public sealed class OutboxCommits(IServiceProvider services, LatencyProbe probe, string connectionString)
{
    // Without the interceptor: no in-process signal and no NOTIFY, so only the relay's fallback poll finds the rows.
    private readonly DbContextOptions<BenchDbContext> _withoutWakeUp = new DbContextOptionsBuilder<BenchDbContext>()
        .UseNpgsql(connectionString)
        .UseSnakeCaseNamingConvention()
        .Options;

    private long _version;

    public async Task<Guid> CommitAsync(string committee, bool wakeUp)
    {
        await using var scope = services.CreateAsyncScope();
        await using var unsignalled = wakeUp ? null : new BenchDbContext(_withoutWakeUp);
        var db = unsignalled ?? scope.ServiceProvider.GetRequiredService<BenchDbContext>();
        // One counter for all committees: each committee's versions still rise in commit order.
        var version = Interlocked.Increment(ref _version);
        var envelope = Event(committee, version);
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Add(new CommitteeChange { Committee = committee, Version = version });
        db.AddOutboxEvent(envelope);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        var id = Guid.Parse(envelope.Id);
        probe.Committed(id);
        return id;
    }

    /// <summary>The event of one change: the bare hop sends the same bytes.</summary>
    public static EventEnvelope Event(string committee, long version) => new()
    {
        Id = Guid.CreateVersion7().ToString(),
        Type = "egov.steering.events.v1.CommitteeUpdated",
        Source = "/bench/outbox-latency",
        Subject = committee,
        Time = Timestamp.FromDateTime(DateTime.UtcNow),
        Aggregate = committee,
        AggregateVersion = version,
        CommitteeUpdated = new CommitteeUpdated { Committee = new Egov.Steering.Membership.V1.Committee { Name = committee } },
    };
}
