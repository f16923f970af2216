using Egov.Steering.Events.V1;
using Egov.Steering.Messaging;
using Egov.Steering.Writes;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Notifications.Data;

public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options)
{
    public DbSet<LoggedEvent> Events => Set<LoggedEvent>();

    public DbSet<LogHorizon> LogHorizons => Set<LogHorizon>();

    public DbSet<FeedCursor> FeedCursors => Set<FeedCursor>();

    public DbSet<WebhookSubscriptionRecord> WebhookSubscriptions => Set<WebhookSubscriptionRecord>();

    public DbSet<WebhookDeliveryRecord> WebhookDeliveries => Set<WebhookDeliveryRecord>();

    /// <summary>The events this transaction appended to the log (with their positions), for the local feed at its commit.</summary>
    internal List<EventEnvelope> Appended { get; } = [];

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddIdempotencyAndAudit();

        modelBuilder.Entity<LoggedEvent>(log =>
        {
            log.ToTable("event_log");
            log.HasKey(e => e.Position);
            log.Property(e => e.Position).ValueGeneratedNever();
            log.HasIndex(e => e.EventId).IsUnique();
            log.HasIndex(e => e.AppendedAt);
            log.Property(e => e.EventId).HasMaxLength(100);
            log.Property(e => e.Type).HasMaxLength(200);
            log.Property(e => e.Aggregate).HasMaxLength(300);
            log.Property(e => e.Committee).HasMaxLength(300);
            log.Property(e => e.Jurisdiction).HasMaxLength(100);
        });

        modelBuilder.Entity<LogHorizon>(horizon =>
        {
            horizon.ToTable("event_log_horizon");
            horizon.HasKey(h => h.Id);
            horizon.Property(h => h.Id).ValueGeneratedNever();
        });

        modelBuilder.Entity<FeedCursor>(cursor =>
        {
            cursor.ToTable("feed_cursors");
            cursor.HasKey(c => c.Name);
            cursor.Property(c => c.Name).HasMaxLength(100);
        });

        modelBuilder.Entity<WebhookSubscriptionRecord>(subscription =>
        {
            subscription.ToTable("webhook_subscriptions");
            subscription.HasKey(s => s.Id);
            subscription.Property(s => s.Id).HasMaxLength(64);
            subscription.Property(s => s.Uri).HasMaxLength(2048);
            subscription.Property(s => s.OwnerOrganisation).HasMaxLength(100);
            subscription.Property(s => s.StateReason).HasMaxLength(500);
            subscription.Property(s => s.Revision).IsConcurrencyToken();
            subscription.HasIndex(s => new { s.OwnerOrganisation, s.CreateTime });
        });

        modelBuilder.Entity<WebhookDeliveryRecord>(delivery =>
        {
            delivery.ToTable("webhook_deliveries");
            delivery.HasKey(d => d.Id);
            delivery.Property(d => d.Id).ValueGeneratedOnAdd();
            delivery.Property(d => d.SubscriptionId).HasMaxLength(64);
            delivery.Property(d => d.EventId).HasMaxLength(100);
            delivery.Property(d => d.EventType).HasMaxLength(200);
            delivery.Property(d => d.LastError).HasMaxLength(500);
            delivery.Property(d => d.Version).IsConcurrencyToken();
            delivery.HasIndex(d => new { d.SubscriptionId, d.EventPosition }).IsUnique();
            delivery.HasIndex(d => new { d.State, d.NextAttemptAt });
        });
    }
}
