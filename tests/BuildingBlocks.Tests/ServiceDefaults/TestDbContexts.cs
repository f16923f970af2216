using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>A context with one entity, for storage behaviour (naming, timestamps, transactions).</summary>
public sealed class NotesDbContext(DbContextOptions<NotesDbContext> options) : DbContext(options)
{
    public DbSet<Note> Notes => Set<Note>();
}

public sealed class Note
{
    public long Id { get; set; }

    public required string Text { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>A context whose schema comes only from its hand-written migration, to see when migrations run.</summary>
public sealed class MigratedDbContext(DbContextOptions<MigratedDbContext> options) : DbContext(options);

[DbContext(typeof(MigratedDbContext))]
[Migration("20260101000000_CreateMigrationMarker")]
public sealed class CreateMigrationMarker : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("CREATE TABLE migration_marker (id integer PRIMARY KEY)");
}
