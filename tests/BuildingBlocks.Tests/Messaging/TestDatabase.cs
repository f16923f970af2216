using Egov.Steering.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Egov.Steering.Storage;
using Egov.Steering.TestSupport;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging;

/// <summary>A fresh database with the test model created: PostgreSQL of its own, or a SQLite file.</summary>
public sealed record TestDatabase(bool IsSqlite, string ConnectionString)
{
    public static async Task<TestDatabase> CreatePostgresAsync() =>
        await CreatedAsync(new TestDatabase(false, await TestInfrastructure.CreateDatabaseAsync("outbox")));

    public static Task<TestDatabase> CreateSqliteAsync() =>
        CreatedAsync(new TestDatabase(true, $"Data Source={Path.Combine(Path.GetTempPath(), $"outbox-{Guid.NewGuid():N}.db")}"));

    public void Configure(DbContextOptionsBuilder options)
    {
        if (IsSqlite)
        {
            options.UseServiceSqlite(ConnectionString);
        }
        else
        {
            options.UseNpgsql(ConnectionString);
        }

        options.UseSnakeCaseNamingConvention();
    }

    /// <summary>A context outside any host (no wake-up interceptor: the relays' fallback poll or NOTIFY finds its rows).</summary>
    public MessagingTestDbContext CreateContext(params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<MessagingTestDbContext>();
        Configure(options);
        options.AddInterceptors(interceptors);
        return new MessagingTestDbContext(options.Options);
    }

    /// <summary>What the consumers' handlers did, in the order they did it: each message id and version handled.</summary>
    public async Task<List<(Guid MessageId, long Version)>> HandledAsync()
    {
        await using var db = CreateContext();
        return [.. (await db.HandledEvents.OrderBy(h => h.Id).ToListAsync()).Select(h => (h.MessageId, h.Version))];
    }

    /// <summary>Whether the relays have published every outbox row.</summary>
    public async Task<bool> AllPublishedAsync()
    {
        await using var db = CreateContext();
        return !await db.Set<OutboxMessage>().AnyAsync(m => m.PublishedAt == null);
    }

    /// <summary>When a relay marked the row of <paramref name="messageId"/> published, once it has.</summary>
    public async Task<DateTime> PublishedAtAsync(Guid messageId, string what)
    {
        DateTime? publishedAt = null;
        await Eventually.WaitUntilAsync(
            async () =>
            {
                await using var db = CreateContext();
                publishedAt = await db.Set<OutboxMessage>().Where(m => m.MessageId == messageId).Select(m => m.PublishedAt).SingleOrDefaultAsync();
                return publishedAt is not null;
            },
            what);
        return publishedAt!.Value;
    }

    private static async Task<TestDatabase> CreatedAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        await db.Database.EnsureCreatedAsync();
        return database;
    }
}
