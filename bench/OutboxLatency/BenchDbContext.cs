using Egov.Steering.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.OutboxLatency;

/// <summary>A service database reduced to one domain table plus the outbox.</summary>
public sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<CommitteeChange>();
        modelBuilder.AddOutboxAndInbox();
    }
}

public sealed class CommitteeChange
{
    public long Id { get; set; }

    public required string Committee { get; set; }

    public long Version { get; set; }
}
