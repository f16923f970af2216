using Egov.Steering.TestSupport;
using Egov.Steering.Writes;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.BuildingBlocks.Tests.Idempotency;

/// <summary>A service's DbContext in miniature: one domain table plus the idempotency and audit tables.</summary>
public sealed class WriteTestContext(DbContextOptions<WriteTestContext> options) : DbContext(options)
{
    public DbSet<WidgetRow> Widgets => Set<WidgetRow>();

    public static DbContextOptions<WriteTestContext> Options(string connectionString) =>
        new DbContextOptionsBuilder<WriteTestContext>().UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options;

    /// <summary>A fresh PostgreSQL database with the schema created.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var connectionString = await TestInfrastructure.CreateDatabaseAsync("auth");
        await using var db = new WriteTestContext(Options(connectionString));
        await db.Database.EnsureCreatedAsync();
        return connectionString;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WidgetRow>().HasIndex(widget => widget.Name).IsUnique();
        modelBuilder.AddIdempotencyAndAudit();
    }
}

public sealed class WidgetRow
{
    public long Id { get; set; }

    public required string Name { get; set; }
}
