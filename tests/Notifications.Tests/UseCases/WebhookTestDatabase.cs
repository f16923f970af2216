using Egov.Steering.Notifications.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Notifications.Tests.UseCases;

/// <summary>The Notifications model on an in-memory SQLite database, for use cases tested without a host.</summary>
public sealed class WebhookTestDatabase : IAsyncDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    private WebhookTestDatabase()
    {
    }

    public static async Task<WebhookTestDatabase> CreateAsync()
    {
        var database = new WebhookTestDatabase();
        await database._connection.OpenAsync();
        await using var db = database.NewContext();
        await db.Database.EnsureCreatedAsync();
        return database;
    }

    /// <summary>A fresh context, as each request gets one.</summary>
    public NotificationsDbContext NewContext() =>
        new(new DbContextOptionsBuilder<NotificationsDbContext>().UseSqlite(_connection).UseSnakeCaseNamingConvention().Options);

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
