using Egov.Steering.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging;

/// <summary>A service's database in miniature: one domain table, the handler's effects, outbox and inbox.</summary>
public sealed class MessagingTestDbContext(DbContextOptions<MessagingTestDbContext> options) : DbContext(options)
{
    public DbSet<CommitteeChange> CommitteeChanges => Set<CommitteeChange>();

    public DbSet<HandledEvent> HandledEvents => Set<HandledEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<CommitteeChange>().HasIndex(c => new { c.Committee, c.Version }).IsUnique();
        modelBuilder.Entity<HandledEvent>();
        modelBuilder.AddOutboxAndInbox();
    }
}

/// <summary>The domain change an event reports.</summary>
public sealed class CommitteeChange
{
    public long Id { get; set; }

    public required string Committee { get; set; }

    public long Version { get; set; }
}

/// <summary>What a consumer's handler did, once per handling (no unique key: a second handling would show).</summary>
public sealed class HandledEvent
{
    public long Id { get; set; }

    public required string Consumer { get; set; }

    public Guid MessageId { get; set; }

    public required string Aggregate { get; set; }

    public long Version { get; set; }
}
