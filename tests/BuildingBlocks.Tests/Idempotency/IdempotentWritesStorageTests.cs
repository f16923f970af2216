using Egov.Steering.Access;
using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.Storage;
using Egov.Steering.TestSupport;
using Egov.Steering.Writes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Egov.Steering.BuildingBlocks.Tests.Idempotency;

/// <summary>
/// The write unit on the storage every service really gets from AddServiceDbContext: PostgreSQL with its retrying
/// execution strategy, and SQLite for the embedded mode.
/// </summary>
public sealed class IdempotentWritesStorageTests : IDisposable
{
    private readonly string sqliteFile = Path.Combine(Path.GetTempPath(), $"idempotency-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(sqliteFile);
    }

    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("Sqlite")]
    public async Task A_retry_gets_the_first_answer_on_the_services_storage(string provider)
    {
        var connectionString = provider == "Sqlite"
            ? $"Data Source={sqliteFile}"
            : await TestInfrastructure.CreateDatabaseAsync("auth");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["Bus:Transport"] = "InMemory",
            ["Cache:Provider"] = "Memory",
            ["ConnectionStrings:Database"] = connectionString,
        });
        builder.AddServiceDbContext<WriteTestContext>();
        using var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<WriteTestContext>().Database.EnsureCreatedAsync();
        }

        var request = new CreateWidgetRequest { RequestId = Guid.NewGuid().ToString(), Name = "Tổ công tác" };
        var first = await CreateAsync(host.Services, request);
        var retry = await CreateAsync(host.Services, request);

        Assert.Equal(first, retry);
        await using var check = host.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<WriteTestContext>();
        Assert.Equal(1, await db.Widgets.CountAsync());
        var audit = Assert.Single(await db.Set<AuditEntry>().ToListAsync());
        Assert.Equal(DateTimeKind.Utc, audit.OccurredAt.Kind);
    }

    private static async Task<Widget> CreateAsync(IServiceProvider services, CreateWidgetRequest request)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WriteTestContext>();
        var writes = new IdempotentWrites(new Caller("clerk", "province-2020-64", [SteeringScopes.Write]), TimeProvider.System);
        return await writes.ExecuteAsync(db, request.RequestId, "/tests/CreateWidget", "widgets/tổ-công-tác", request, async token =>
        {
            var row = new WidgetRow { Name = request.Name };
            db.Widgets.Add(row);
            await db.SaveChangesAsync(token);
            return new Widget { Id = row.Id, Name = row.Name };
        });
    }
}
