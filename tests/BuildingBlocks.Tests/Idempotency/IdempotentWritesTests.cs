using Egov.Steering.Access;
using Egov.Steering.ServiceDefaults.Audit;
using Egov.Steering.ServiceDefaults.Auth;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.TestSupport;
using Egov.Steering.Writes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Egov.Steering.BuildingBlocks.Tests.Idempotency;

/// <summary>The write unit on a real PostgreSQL database.</summary>
public class IdempotentWritesTests
{
    private const string Method = "/egov.steering.tests.idempotency.WidgetService/CreateWidget";

    private static readonly Caller GiaLaiClerk = new("clerk-1", "province-2025-52", [SteeringScopes.Write]);

    private readonly FixedTimeProvider clock = new(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_retried_request_gets_the_first_answer_and_writes_nothing_more()
    {
        var database = await WriteTestContext.CreateDatabaseAsync();
        var request = new CreateWidgetRequest { RequestId = NewRequestId(), Name = "Ban chỉ đạo tỉnh Gia Lai" };

        var first = await CreateWidgetAsync(database, GiaLaiClerk, request);
        var retry = await CreateWidgetAsync(database, GiaLaiClerk, request);

        Assert.Equal(first, retry);
        await using var db = new WriteTestContext(WriteTestContext.Options(database));
        Assert.Equal(1, await db.Widgets.CountAsync());
        var audit = Assert.Single(await db.Set<AuditEntry>().ToListAsync());
        Assert.Equal(("clerk-1", "province-2025-52", Method, $"widgets/{first.Id}", request.RequestId),
            (audit.Subject, audit.Organisation, audit.Method, audit.Resource, audit.RequestId));
        Assert.Equal(1, await db.Set<IdempotencyRecord>().CountAsync());
    }

    [Fact]
    public async Task Reusing_a_request_id_for_a_different_request_is_an_invalid_argument_and_changes_nothing()
    {
        var database = await WriteTestContext.CreateDatabaseAsync();
        var requestId = NewRequestId();
        await CreateWidgetAsync(database, GiaLaiClerk, new CreateWidgetRequest { RequestId = requestId, Name = "first" });

        var error = await Assert.ThrowsAsync<RequestValidationException>(() =>
            CreateWidgetAsync(database, GiaLaiClerk, new CreateWidgetRequest { RequestId = requestId, Name = "second" }));

        Assert.Equal("request_id", Assert.Single(error.Violations).Field);
        await using var db = new WriteTestContext(WriteTestContext.Options(database));
        Assert.Equal(["first"], await db.Widgets.Select(widget => widget.Name).ToListAsync());
        Assert.Equal(1, await db.Set<AuditEntry>().CountAsync());
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("{0b6f4f8e-6d55-4c39-9a55-3f0e4f7b2c1a}")]
    public async Task A_request_id_that_is_not_a_uuid_is_refused_before_anything_is_written(string requestId)
    {
        var database = await WriteTestContext.CreateDatabaseAsync();

        var error = await Assert.ThrowsAsync<RequestValidationException>(() =>
            CreateWidgetAsync(database, GiaLaiClerk, new CreateWidgetRequest { RequestId = requestId, Name = "w" }));

        Assert.Equal("request_id", Assert.Single(error.Violations).Field);
        await using var db = new WriteTestContext(WriteTestContext.Options(database));
        Assert.Equal(0, await db.Widgets.CountAsync());
        Assert.Equal(0, await db.Set<AuditEntry>().CountAsync());
    }

    [Fact]
    public async Task Writes_without_a_request_id_are_each_applied_and_audited()
    {
        var database = await WriteTestContext.CreateDatabaseAsync();

        await CreateWidgetAsync(database, GiaLaiClerk, new CreateWidgetRequest { Name = "a" });
        await CreateWidgetAsync(database, GiaLaiClerk, new CreateWidgetRequest { Name = "b" });

        await using var db = new WriteTestContext(WriteTestContext.Options(database));
        Assert.Equal(2, await db.Widgets.CountAsync());
        var audits = await db.Set<AuditEntry>().ToListAsync();
        Assert.Equal(2, audits.Count);
        Assert.All(audits, audit => Assert.Null(audit.RequestId));
        Assert.Equal(0, await db.Set<IdempotencyRecord>().CountAsync());
    }

    [Fact]
    public async Task A_write_of_a_resource_named_before_it_runs_saves_its_audit_entry_with_its_own_changes()
    {
        var database = await WriteTestContext.CreateDatabaseAsync();
        var commands = new MatchingCommands(_ => true);
        var request = new CreateWidgetRequest { Name = "Tổ công tác" };

        await using (var db = new WriteTestContext(new DbContextOptionsBuilder<WriteTestContext>(WriteTestContext.Options(database)).AddInterceptors(commands).Options))
        {
            await new IdempotentWrites(GiaLaiClerk, clock).ExecuteAsync(db, request.RequestId, Method, "widgets/to-cong-tac", request, async cancellationToken =>
            {
                var row = new WidgetRow { Name = request.Name };
                db.Widgets.Add(row);
                await db.SaveChangesAsync(cancellationToken);
                return new Widget { Id = row.Id, Name = row.Name };
            });
        }

        // One command: the widget's insert and the audit entry's, sent together by the write's own save.
        Assert.Equal(1, commands.Count);
        await using var stored = new WriteTestContext(WriteTestContext.Options(database));
        Assert.Equal("Tổ công tác", Assert.Single(await stored.Widgets.ToListAsync()).Name);
        var audit = Assert.Single(await stored.Set<AuditEntry>().ToListAsync());
        Assert.Equal(("clerk-1", Method, "widgets/to-cong-tac"), (audit.Subject, audit.Method, audit.Resource));
    }

    [Fact]
    public async Task The_same_request_id_from_two_callers_is_two_requests()
    {
        var database = await WriteTestContext.CreateDatabaseAsync();
        var requestId = NewRequestId();
        var otherClerk = new Caller("clerk-2", "province-2025-52", [SteeringScopes.Write]);

        var mine = await CreateWidgetAsync(database, GiaLaiClerk, new CreateWidgetRequest { RequestId = requestId, Name = "a" });
        var theirs = await CreateWidgetAsync(database, otherClerk, new CreateWidgetRequest { RequestId = requestId, Name = "b" });

        Assert.NotEqual(mine.Id, theirs.Id);
    }

    [Fact]
    public async Task Concurrent_duplicates_write_once_and_all_get_the_first_answer()
    {
        const int duplicates = 6;
        var database = await WriteTestContext.CreateDatabaseAsync();
        var request = new CreateWidgetRequest { RequestId = NewRequestId(), Name = "raced" };
        // Every attempt passes the look-up for a stored answer before any of them commits.
        var arrived = 0;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var answers = await Task.WhenAll(Enumerable.Range(0, duplicates).Select(_ => Task.Run(() =>
            CreateWidgetAsync(database, GiaLaiClerk, request, async () =>
            {
                if (Interlocked.Increment(ref arrived) == duplicates)
                {
                    allArrived.SetResult();
                }

                await allArrived.Task;
            }))));

        Assert.Single(answers.Distinct());
        await using var db = new WriteTestContext(WriteTestContext.Options(database));
        Assert.Equal(1, await db.Widgets.CountAsync());
        Assert.Equal(1, await db.Set<AuditEntry>().CountAsync());
    }

    [Fact]
    public async Task Answers_older_than_the_retention_are_purged_and_younger_ones_kept()
    {
        var database = await WriteTestContext.CreateDatabaseAsync();
        var old = new CreateWidgetRequest { RequestId = NewRequestId(), Name = "old" };
        var young = new CreateWidgetRequest { RequestId = NewRequestId(), Name = "young" };
        await CreateWidgetAsync(database, GiaLaiClerk, old);
        clock.Now += TimeSpan.FromDays(6);
        await CreateWidgetAsync(database, GiaLaiClerk, young);
        clock.Now += TimeSpan.FromDays(2);

        var services = new ServiceCollection()
            .AddDbContext<WriteTestContext>(options => options.UseNpgsql(database).UseSnakeCaseNamingConvention())
            .BuildServiceProvider();
        var purge = new IdempotencyPurgeService<WriteTestContext>(
            services.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new IdempotencyOptions { Retention = TimeSpan.FromDays(7) }),
            clock,
            NullLogger<IdempotencyPurgeService<WriteTestContext>>.Instance);

        Assert.Equal(1, await purge.PurgeOnceAsync(CancellationToken.None));

        await using var db = new WriteTestContext(WriteTestContext.Options(database));
        var kept = Assert.Single(await db.Set<IdempotencyRecord>().ToListAsync());
        Assert.Equal(Guid.Parse(young.RequestId), kept.RequestId);
        Assert.Equal(2, await db.Set<AuditEntry>().CountAsync()); // the audit trail is never purged with them
    }

    [Fact]
    public async Task A_preparation_runs_before_the_transaction_and_a_retry_after_success_gets_the_answer_without_preparing()
    {
        var database = await WriteTestContext.CreateDatabaseAsync();
        var request = new CreateWidgetRequest { RequestId = NewRequestId(), Name = "Ban chỉ đạo tỉnh Gia Lai" };
        var preparations = new List<bool>();

        async Task<Widget> PreparedCreateAsync(Func<string> prepare)
        {
            await using var db = new WriteTestContext(WriteTestContext.Options(database));
            return await new IdempotentWrites(GiaLaiClerk, clock).ExecuteAsync(
                db,
                request.RequestId,
                Method,
                "widgets",
                request,
                _ =>
                {
                    preparations.Add(db.Database.CurrentTransaction is not null);
                    return Task.FromResult(prepare());
                },
                async (name, cancellationToken) =>
                {
                    Assert.NotNull(db.Database.CurrentTransaction);
                    var row = new WidgetRow { Name = name };
                    db.Widgets.Add(row);
                    await db.SaveChangesAsync(cancellationToken);
                    return new Widget { Id = row.Id, Name = row.Name };
                });
        }

        await Assert.ThrowsAsync<StaleEtagException>(() => PreparedCreateAsync(() => throw new StaleEtagException("widgets")));
        var first = await PreparedCreateAsync(() => request.Name);
        var retry = await PreparedCreateAsync(() => throw new InvalidOperationException("a retry must not prepare again"));

        Assert.Equal(first, retry);
        Assert.Equal([false, false], preparations); // the failed attempt stored nothing, so it was prepared again
        await using var stored = new WriteTestContext(WriteTestContext.Options(database));
        Assert.Equal(1, await stored.Widgets.CountAsync());
        Assert.Single(await stored.Set<AuditEntry>().ToListAsync());
    }

    private static string NewRequestId() => Guid.NewGuid().ToString();

    private async Task<Widget> CreateWidgetAsync(
        string database, Caller caller, CreateWidgetRequest request, Func<Task>? beforeSave = null)
    {
        await using var db = new WriteTestContext(WriteTestContext.Options(database));
        var writes = new IdempotentWrites(caller, clock);
        return await writes.ExecuteAsync(
            db,
            request.RequestId,
            Method,
            widget => $"widgets/{widget.Id}",
            request,
            async cancellationToken =>
            {
                var row = new WidgetRow { Name = request.Name };
                db.Widgets.Add(row);
                if (beforeSave is not null)
                {
                    await beforeSave();
                }

                await db.SaveChangesAsync(cancellationToken);
                return new Widget { Id = row.Id, Name = row.Name };
            });
    }
}
