using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.Access;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Writes;

public static class WriteModelExtensions
{
    private const int MaxSubjectLength = SteeringClaims.MaxSubjectLength;

    /// <summary>
    /// Adds <c>idempotency_records</c> and <c>audit_records</c> to a service's model (call from OnModelCreating), so
    /// that both live in the service's own database and are written in its transactions.
    /// </summary>
    public static ModelBuilder AddIdempotencyAndAudit(this ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<IdempotencyRecord>(record =>
        {
            record.ToTable("idempotency_records");
            // The key is the uniqueness rule: a concurrent duplicate fails to insert and gets the first answer.
            record.HasKey(r => new { r.CallerOrganisation, r.CallerSubject, r.RequestId });
            record.Property(r => r.CallerOrganisation).HasMaxLength(100);
            record.Property(r => r.CallerSubject).HasMaxLength(MaxSubjectLength);
            record.Property(r => r.Method).HasMaxLength(200);
            record.HasIndex(r => r.CreatedAt);
        });

        modelBuilder.Entity<AuditEntry>(entry =>
        {
            entry.ToTable("audit_records");
            entry.HasKey(e => e.Id);
            entry.Property(e => e.Subject).HasMaxLength(MaxSubjectLength);
            entry.Property(e => e.Organisation).HasMaxLength(100);
            entry.Property(e => e.Method).HasMaxLength(200);
            entry.Property(e => e.Resource).HasMaxLength(500);
            entry.Property(e => e.RequestId).HasMaxLength(36);
            entry.Property(e => e.RefusedReason).HasMaxLength(100);
            // The listing reads newest first, optionally by organisation or resource.
            entry.HasIndex(e => new { e.OccurredAt, e.Id });
            entry.HasIndex(e => new { e.Organisation, e.OccurredAt });
            entry.HasIndex(e => new { e.Resource, e.OccurredAt });
        });

        return modelBuilder;
    }
}
