using System.Globalization;
using Egov.Steering.ServiceDefaults;
using Egov.Steering.Storage;
using Egov.Steering.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>AddServiceDbContext and RunServiceAsync on the real PostgreSQL (and SQLite for the embedded mode).</summary>
public sealed class StorageTests
{
    [Fact]
    public async Task Running_the_service_never_migrates()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync("storage");
        await using var app = Build(PostgreSql(database));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Lifetime.ApplicationStarted.Register(started.SetResult);

        var run = app.RunServiceAsync<MigratedDbContext>([]);
        await started.Task;
        Assert.False(await TableExistsAsync(database, "migration_marker"));
        Assert.False(await TableExistsAsync(database, "__EFMigrationsHistory"));

        app.Lifetime.StopApplication();
        Assert.Equal(0, await run);
    }

    [Fact]
    public async Task Migrate_verb_applies_migrations_and_exits_without_starting_the_host()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync("storage");
        await using var app = Build(PostgreSql(database), "migrate");

        Assert.Equal(0, await app.RunServiceAsync<MigratedDbContext>(["migrate"]));

        Assert.True(await TableExistsAsync(database, "migration_marker"));
        Assert.False(app.Lifetime.ApplicationStarted.IsCancellationRequested);
    }

    [Fact]
    public async Task Migrate_on_start_is_refused_in_production()
    {
        var settings = PostgreSql(await TestInfrastructure.CreateDatabaseAsync("storage"));
        settings["Storage:MigrateOnStart"] = "true";
        await using var app = Build(settings, environment: "Production");

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => app.RunServiceAsync<MigratedDbContext>([]));
        Assert.Contains("migrate", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embedded_sqlite_is_created_on_start_and_keeps_timestamps_in_utc()
    {
        var file = Path.Combine(Path.GetTempPath(), $"steering-{Guid.NewGuid():N}.db");
        var settings = Sqlite($"Data Source={file};Pooling=false");
        settings["Storage:MigrateOnStart"] = "true";
        await using var app = Build(settings);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Lifetime.ApplicationStarted.Register(started.SetResult);
        var run = app.RunServiceAsync<NotesDbContext>([]);
        await started.Task;

        var written = new DateTime(2025, 7, 1, 1, 2, 3, DateTimeKind.Utc);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotesDbContext>();
            db.Notes.Add(new Note { Text = "Sáp nhập tỉnh", CreatedAt = written });
            await db.SaveChangesAsync();
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                db.Notes.Add(new Note { Text = "local time", CreatedAt = DateTime.Now });
                await db.SaveChangesAsync();
            });
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var note = await scope.ServiceProvider.GetRequiredService<NotesDbContext>().Notes.SingleAsync();
            Assert.Equal(written, note.CreatedAt);
            Assert.Equal(DateTimeKind.Utc, note.CreatedAt.Kind);
        }

        app.Lifetime.StopApplication();
        await run;
        File.Delete(file);
    }

    [Fact]
    public async Task Embedded_sqlite_connections_wait_in_sqlite_for_a_busy_database()
    {
        // Without SQLite's own busy timeout the driver retries a statement that met another writer only after 150 ms.
        var file = Path.Combine(Path.GetTempPath(), $"steering-{Guid.NewGuid():N}.db");
        await using var app = Build(Sqlite($"Data Source={file}"));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotesDbContext>();
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA busy_timeout";
            Assert.True(Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) >= 1000);
            await db.Database.CloseConnectionAsync();
        }

        SqliteConnection.ClearAllPools();
        File.Delete(file);
    }

    [Fact]
    public async Task Postgres_names_are_snake_case_and_user_transactions_work_with_retries_enabled()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync("storage");
        await using var app = Build(PostgreSql(database));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotesDbContext>();
        await db.Database.EnsureCreatedAsync();
        Assert.True(db.Database.CreateExecutionStrategy().RetriesOnFailure);

        // EF Core's own retrying strategy throws here unless the unit is wrapped in CreateExecutionStrategy().
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.Notes.Add(new Note { Text = "Quyết định 701/QĐ-TTg", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
            Assert.Equal(1, await db.Notes.CountAsync());
            await transaction.CommitAsync();
        }

        Assert.True(await TableExistsAsync(database, "notes"));
        Assert.Equal(1L, await ScalarAsync(database, "SELECT count(created_at) FROM notes"));
    }

    [Fact]
    public async Task Postgres_prepares_the_statements_a_connection_runs_again()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync("storage");
        await using var app = Build(PostgreSql(database));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotesDbContext>();
        await db.Database.EnsureCreatedAsync();

        await db.Database.OpenConnectionAsync();
        for (var i = 0; i < 6; i++)
        {
            await db.Notes.Where(n => n.Text == "Quyết định " + i).ToListAsync();
        }

        // Parsed and planned once on this connection, not once per call.
        await using var prepared = db.Database.GetDbConnection().CreateCommand();
        prepared.CommandText = "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM notes%'";
        Assert.Equal(1L, await prepared.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("Host=db;Database=membership", 128, true)]
    [InlineData("Host=db;Database=membership;Max Auto Prepare=0", 0, true)]
    [InlineData("Host=db;Database=membership;maxautoprepare=10;NoResetOnClose=false", 10, false)]
    public void Postgres_connections_prepare_and_skip_the_reset_unless_the_string_says_otherwise(string given, int maxAutoPrepare, bool noResetOnClose)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgreSqlConnections.WithServiceDefaults(given));

        Assert.Equal((maxAutoPrepare, noResetOnClose, "db", "membership"), (builder.MaxAutoPrepare, builder.NoResetOnClose, builder.Host, builder.Database));
    }

    [Fact]
    public async Task Postgres_queries_outside_a_transaction_survive_a_dropped_connection()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync("storage");
        var logs = new CapturedLogs();
        await using var app = Build(PostgreSql(database), logs: logs);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotesDbContext>();
        await db.Database.EnsureCreatedAsync();
        Assert.Equal(0, await db.Notes.CountAsync());

        // The pooled connection the context used is killed by the server, as on a failover or restart.
        var name = new NpgsqlConnectionStringBuilder(database).Database;
        await ScalarAsync(TestInfrastructure.PostgresConnectionString, $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{name}'");

        Assert.Equal(0, await db.Notes.CountAsync());
        Assert.Contains(logs.Entries, entry => entry.EventId.Id == CoreEventId.ExecutionStrategyRetrying.Id);
    }

    private static Dictionary<string, string?> PostgreSql(string database) => new()
    {
        ["Storage:Provider"] = "PostgreSQL",
        ["ConnectionStrings:Database"] = database,
    };

    private static Dictionary<string, string?> Sqlite(string connectionString) => new()
    {
        ["Storage:Provider"] = "Sqlite",
        ["ConnectionStrings:Database"] = connectionString,
    };

    private static WebApplication Build(
        Dictionary<string, string?> settings,
        string? verb = null,
        string environment = "Development",
        CapturedLogs? logs = null)
    {
        var builder = TestServiceHost.CreateBuilder(settings, environment, args: verb is null ? [] : [verb]);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.AddServiceDefaults();
        builder.AddServiceDbContext<MigratedDbContext>();
        builder.AddServiceDbContext<NotesDbContext>();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        return app;
    }

    private static async Task<bool> TableExistsAsync(string database, string table) =>
        await ScalarAsync(database, $"SELECT count(*) FROM information_schema.tables WHERE table_name = '{table}'") is 1L;

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
