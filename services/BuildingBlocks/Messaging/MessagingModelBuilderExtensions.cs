using Egov.Steering.Messaging.Inbox;
using Egov.Steering.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Messaging;

public static class MessagingModelBuilderExtensions
{
    /// <summary>Adds the tables outbox_messages, inbox_messages, inbox_positions and inbox_parked_messages to a service's model.</summary>
    public static ModelBuilder AddOutboxAndInbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages");
            outbox.HasKey(m => m.Sequence);
            outbox.Property(m => m.Sequence).ValueGeneratedOnAdd();
            outbox.HasIndex(m => m.MessageId).IsUnique();
            outbox.Property(m => m.Aggregate).HasMaxLength(300);
            outbox.Property(m => m.MessageType).HasMaxLength(300);
            // Named explicitly because the partial indexes below refer to it in SQL.
            outbox.Property(m => m.PublishedAt).HasColumnName("published_at");
            // Only pending rows are indexed for the relay, so the indexes stay small however long the retention.
            outbox.HasIndex(m => new { m.Partition, m.Sequence }).HasFilter("\"published_at\" IS NULL");
            outbox.HasIndex(m => new { m.Aggregate, m.Sequence }).HasFilter("\"published_at\" IS NULL");
            outbox.HasIndex(m => m.PublishedAt).HasFilter("\"published_at\" IS NOT NULL");
        });

        modelBuilder.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable("inbox_messages");
            inbox.HasKey(m => new { m.Consumer, m.MessageId });
            inbox.Property(m => m.Consumer).HasMaxLength(200);
            inbox.HasIndex(m => m.HandledAt);
        });

        modelBuilder.Entity<InboxPosition>(position =>
        {
            position.ToTable("inbox_positions");
            position.HasKey(p => new { p.Consumer, p.Aggregate });
            position.Property(p => p.Consumer).HasMaxLength(200);
            position.Property(p => p.Aggregate).HasMaxLength(300);
            // Two handlers advancing one aggregate at once: the loser retries instead of overwriting. Every write touches
            // UpdatedAt, so a message parking behind the aggregate and one advancing it never both commit unseen by the
            // other: the one that advances knows from its own read whether a release is due.
            position.Property(p => p.Version).IsConcurrencyToken();
            position.Property(p => p.UpdatedAt).IsConcurrencyToken();
        });

        modelBuilder.Entity<InboxParkedMessage>(parked =>
        {
            parked.ToTable("inbox_parked_messages");
            parked.HasKey(m => new { m.Consumer, m.MessageId });
            parked.Property(m => m.Consumer).HasMaxLength(200);
            parked.Property(m => m.Aggregate).HasMaxLength(300);
            parked.Property(m => m.TraceParent).HasMaxLength(55);
            parked.Property(m => m.TraceState).HasMaxLength(512);
            // What a handled version releases.
            parked.HasIndex(m => new { m.Consumer, m.Aggregate, m.ReadyAtVersion });
        });

        return modelBuilder;
    }
}
