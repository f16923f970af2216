using Egov.Steering.Membership.Data;
using Egov.Steering.Storage;
using Egov.Steering.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Egov.Steering.Membership.Tests.Data;

/// <summary>
/// A fresh Membership database of its own on the real PostgreSQL (migrated) or on an SQLite file (created from the
/// model, as the embedded mode does), registered exactly as the service registers it.
/// </summary>
internal sealed class MembershipDatabase : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly string? sqliteFile;

    private MembershipDatabase(ServiceProvider services, string? sqliteFile)
    {
        this.services = services;
        this.sqliteFile = sqliteFile;
    }

    public static async Task<MembershipDatabase> CreateAsync(string provider)
    {
        var sqliteFile = provider == "Sqlite" ? Path.Combine(Path.GetTempPath(), $"membership-{Guid.NewGuid():N}.db") : null;
        var connectionString = sqliteFile is null ? await TestInfrastructure.CreateDatabaseAsync("membership") : $"Data Source={sqliteFile}";
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["ConnectionStrings:Database"] = connectionString,
            ["Bus:Transport"] = "InMemory",
            ["Cache:Provider"] = "Memory",
        });
        builder.AddServiceDbContext<MembershipDbContext>();
        var database = new MembershipDatabase(builder.Services.BuildServiceProvider(), sqliteFile);
        await using var scope = database.services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
        if (sqliteFile is null)
        {
            await db.Database.MigrateAsync();
        }
        else
        {
            await db.Database.EnsureCreatedAsync();
        }

        await MembershipSeeder.SeedAsync(db);
        return database;
    }

    /// <summary>A new context (a unit of work), as one request or one consumed message gets.</summary>
    public MembershipDbContext NewContext() => services.CreateScope().ServiceProvider.GetRequiredService<MembershipDbContext>();

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        if (sqliteFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(sqliteFile);
        }
    }
}
