using Egov.Steering.Access;
using Egov.Steering.Events.V1;
using Egov.Steering.Membership.Compliance;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Decisions;
using Egov.Steering.Membership.Events;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults;
using Egov.Steering.TestSupport;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Egov.Steering.Membership.Tests.Domain.Scenario;
using V1 = Egov.Steering.Membership.V1;

namespace Egov.Steering.Membership.Tests.Grpc;

/// <summary>
/// The Membership service composed as Program.cs composes it, served by TestServer (the real ASP.NET Core and gRPC
/// pipeline: authentication, error mapping, idempotent writes) over a fresh, migrated and seeded PostgreSQL database
/// holding a small register:
/// <list type="bullet">
/// <item>the national committee (renamed on 2021-04-06), chaired by Nguyễn Xuân Phúc;</item>
/// <item>Gia Lai 2020 (province-2020-64, from 2019-06-20): chair ex officio the People's Committee chairman (Võ Ngọc
/// Thành, then Trương Hải Long from 2020-11-01), member Trần Thị B (with contact details), a working group;</item>
/// <item>Bình Định 2020 (province-2020-52, from 2020-01-01): member Hồ Phước Thành;</item>
/// <item>both merged on 2025-07-01 into Gia Lai 2025 (province-2025-52); Đà Nẵng 2025 (province-2025-48).</item>
/// </list>
/// </summary>
public class MembershipApiHost : IAsyncLifetime
{
    public const string Admin = Organisations.National;
    public const string GiaLai2020 = "province-2020-64";
    public const string GiaLai2025 = "province-2025-52";
    public const string DaNang2025 = "province-2025-48";

    private readonly List<GrpcChannel> channels = [];
    private readonly string provider;
    private readonly string? sqliteFile;
    private readonly IDictionary<string, string?>? settings;
    private WebApplication app = null!;

    public MembershipApiHost()
        : this("PostgreSQL")
    {
    }

    /// <summary>On <paramref name="provider"/>: "PostgreSQL" (migrated) or "Sqlite" (the embedded mode, created from the model).</summary>
    protected MembershipApiHost(string provider)
    {
        this.provider = provider;
        sqliteFile = provider == "Sqlite" ? Path.Combine(Path.GetTempPath(), $"membership-api-{Guid.NewGuid():N}.db") : null;
    }

    /// <summary>On PostgreSQL with <paramref name="settings"/> over the defaults (e.g. the Redis cache).</summary>
    protected MembershipApiHost(IDictionary<string, string?> settings)
        : this("PostgreSQL")
    {
        this.settings = settings;
    }

    public async Task InitializeAsync()
    {
        var database = sqliteFile is null ? await TestInfrastructure.CreateDatabaseAsync("membership_api") : $"Data Source={sqliteFile}";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        if (GrpcPort is null)
        {
            builder.WebHost.UseTestServer();
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["ConnectionStrings:Database"] = database,
            ["Bus:Transport"] = "InMemory",
            ["Cache:Provider"] = "Memory",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddServiceDefaults();
        builder.AddMembership();
        app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapMembership();

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MembershipDbContext>();
            await (sqliteFile is null ? db.Database.MigrateAsync() : db.Database.EnsureCreatedAsync());
            await MembershipSeeder.SeedAsync(db);
        }

        await SeedRegisterAsync();

        // The first evaluation, as the start-up rollover makes it; made before serving so that no test races it.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ComplianceRecalculator>().RecomputeAllAsync();
            await scope.ServiceProvider.GetRequiredService<MembershipDbContext>().SaveChangesAsync();
        }

        await app.StartAsync();
    }

    /// <summary>A client acting for <paramref name="organisation"/> with the given scopes (read only by default).</summary>
    public V1.MembershipService.MembershipServiceClient Client(string organisation, params string[] scopes) =>
        new(Channel(DevelopmentTokens.Mint(organisation, scopes.Length == 0 ? [SteeringScopes.Read] : scopes, TimeSpan.FromHours(1))));

    public V1.MembershipService.MembershipServiceClient Writer(string organisation) => Client(organisation, SteeringScopes.Write);

    public V1.MembershipService.MembershipServiceClient AdminClient() => Client(Admin, SteeringScopes.Admin);

    public V1.MembershipService.MembershipServiceClient Anonymous() => new(Channel(null));

    /// <summary>A channel whose calls read as <see cref="Admin"/>, for calls made with methods of the test's own.</summary>
    public GrpcChannel ReaderChannel() => Channel(DevelopmentTokens.Mint(Admin, [SteeringScopes.Read], TimeSpan.FromHours(1)));

    /// <summary>The service's own services (singletons, or a scope of them).</summary>
    public IServiceProvider Services => app.Services;

    public Audit.V1.AuditService.AuditServiceClient AuditClient() =>
        new(Channel(DevelopmentTokens.Mint(Admin, [SteeringScopes.Admin], TimeSpan.FromHours(1))));

    /// <summary>A unit of work on the service's database, as one request gets.</summary>
    public async Task<T> WithDbAsync<T>(Func<MembershipDbContext, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<MembershipDbContext>());
    }

    /// <summary>The events an aggregate put in the outbox, in version order.</summary>
    public Task<List<EventEnvelope>> OutboxEventsAsync(string aggregate) => WithDbAsync(async db =>
        (await db.Set<OutboxMessage>().Where(m => m.Aggregate == aggregate).OrderBy(m => m.AggregateVersion).ToListAsync())
            .Select(m => EventEnvelope.Parser.ParseFrom(m.Body)).ToList());

    /// <summary>Applies a decision as the DecisionIssued consumer does (the register store, one save).</summary>
    public Task ApplyAsync(DecisionToApply decision) => WithDbAsync(async db =>
    {
        var outcome = await new RegisterStore(db, new MembershipClock(TimeProvider.System)).ApplyAsync(decision);
        Assert.Equal(DecisionResult.Applied, outcome.Result);
        return await db.SaveChangesAsync();
    });

    public async Task DisposeAsync()
    {
        channels.ForEach(channel => channel.Dispose());
        await app.StopAsync();
        await app.DisposeAsync();
        if (sqliteFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(sqliteFile);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The Kestrel port when the settings give one (real HTTP/2, as clients see it), else null: TestServer.</summary>
    private string? GrpcPort => settings?.TryGetValue("Hosting:GrpcPort", out var port) == true ? port : null;

    private GrpcChannel Channel(string? token)
    {
        var address = GrpcPort is { } port ? new Uri($"http://127.0.0.1:{port}") : app.GetTestServer().BaseAddress;
        HttpMessageHandler handler = GrpcPort is null ? app.GetTestServer().CreateHandler() : new SocketsHttpHandler();
        if (token is not null)
        {
            handler = new BearerHandler(token) { InnerHandler = handler };
        }

        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler });
        channels.Add(channel);
        return channel;
    }

    private async Task SeedRegisterAsync()
    {
        await WithDbAsync(async db =>
        {
            db.Posts.AddRange(
                new Post("chu-tich-gia-lai", "Chủ tịch UBND tỉnh Gia Lai", PostKind.ProvincialChairman, null, "UBND tỉnh Gia Lai", GiaLai2020),
                new Post("giam-doc-stttt-gia-lai", "Giám đốc Sở Thông tin và Truyền thông tỉnh Gia Lai", PostKind.DepartmentDirector, "thong-tin-truyen-thong", "Sở TT&TT tỉnh Gia Lai", GiaLai2020),
                new Post("chu-tich-gia-lai-2025", "Chủ tịch UBND tỉnh Gia Lai", PostKind.ProvincialChairman, null, "UBND tỉnh Gia Lai", GiaLai2025));
            db.People.AddRange(
                new Person("nguyen-xuan-phuc", "Nguyễn Xuân Phúc"),
                new Person("vo-ngoc-thanh", "Võ Ngọc Thành"),
                new Person("truong-hai-long", "Trương Hải Long"),
                new Person("ho-phuoc-thanh", "Hồ Phước Thành"),
                new Person("tran-thi-b", "Trần Thị B") { Email = "b@gialai.gov.vn", Phone = "0269 3821 000" });
            return await db.SaveChangesAsync();
        });

        await ApplyAsync(new DecisionToApply("qd-national", "1/QĐ-TTg", D(2018, 1, 1), [DecisionKind.Establish], [], Admin,
        [
            new EstablishCommittee("changes[0].establish_committee", null, "uy-ban-quoc-gia", "Ủy ban Quốc gia về Chính phủ điện tử",
                CommitteeLevel.National, Admin, null, [MandateTopic.EGovernment], null),
            new Appoint("changes[1].appoint", null, "uy-ban-quoc-gia", Seat(PersonSeat("nguyen-xuan-phuc"), MembershipRole.Chair)),
        ]));
        await ApplyAsync(new DecisionToApply("qd-505", "505/QĐ-TTg", D(2021, 4, 6), [DecisionKind.Rename], ["uy-ban-quoc-gia"], Admin,
            [new RenameCommittee("changes[0].rename_committee", null, "uy-ban-quoc-gia", "Ủy ban Quốc gia về chuyển đổi số")]));
        await ApplyAsync(new DecisionToApply("qd-337", "337/QĐ-UBND", D(2019, 6, 20), [DecisionKind.Establish], [], GiaLai2020,
        [
            new EstablishCommittee("changes[0].establish_committee", null, "bcd-gia-lai", "Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai",
                CommitteeLevel.Province, GiaLai2020, "uy-ban-quoc-gia", [MandateTopic.EGovernment], null),
            new Appoint("changes[1].appoint", null, "bcd-gia-lai", Seat(PostSeat("chu-tich-gia-lai"), MembershipRole.Chair)),
            new Appoint("changes[2].appoint", null, "bcd-gia-lai", Seat(PersonSeat("tran-thi-b"), MembershipRole.StandingMember, MembershipRole.Secretary)),
            new EstablishWorkingGroup("changes[3].establish_working_group", null, "bcd-gia-lai", "to-giup-viec", "Tổ giúp việc", "Giúp việc Ban chỉ đạo",
                [new GroupSeat(PostSeat("giam-doc-stttt-gia-lai"), WorkingGroupRole.Leader)]),
            new AssignPostHolder("changes[4].assign_post_holder", null, "chu-tich-gia-lai", "vo-ngoc-thanh"),
        ]));
        await ApplyAsync(new DecisionToApply("qd-1120", "1120/QĐ-UBND", D(2020, 11, 1), [DecisionKind.Amend], [], GiaLai2020,
            [new AssignPostHolder("changes[0].assign_post_holder", null, "chu-tich-gia-lai", "truong-hai-long")]));
        await ApplyAsync(new DecisionToApply("qd-binh-dinh", "12/QĐ-UBND", D(2020, 1, 1), [DecisionKind.Establish], [], "province-2020-52",
        [
            new EstablishCommittee("changes[0].establish_committee", null, "bcd-binh-dinh", "Ban chỉ đạo Chính quyền điện tử tỉnh Bình Định",
                CommitteeLevel.Province, "province-2020-52", "uy-ban-quoc-gia", [MandateTopic.EGovernment], null),
            new Appoint("changes[1].appoint", null, "bcd-binh-dinh", Seat(PersonSeat("ho-phuoc-thanh"), MembershipRole.Chair)),
        ]));
        await ApplyAsync(new DecisionToApply("qd-merge", "1/QĐ-UBND", D(2025, 7, 1), [DecisionKind.Establish, DecisionKind.Merge], [], Admin,
        [
            new EstablishCommittee("changes[0].establish_committee", null, "bcd-gia-lai-2025", "Ban chỉ đạo chuyển đổi số tỉnh Gia Lai",
                CommitteeLevel.Province, GiaLai2025, "uy-ban-quoc-gia", [MandateTopic.DigitalTransformation], null),
            new MergeCommittees("changes[1].merge_committees", null, ["bcd-gia-lai", "bcd-binh-dinh"], "bcd-gia-lai-2025"),
            new Appoint("changes[2].appoint", null, "bcd-gia-lai-2025", Seat(PostSeat("chu-tich-gia-lai-2025"), MembershipRole.Chair)),
        ]));
        await ApplyAsync(new DecisionToApply("qd-da-nang", "2/QĐ-UBND", D(2025, 7, 1), [DecisionKind.Establish], [], DaNang2025,
        [
            new EstablishCommittee("changes[0].establish_committee", null, "bcd-da-nang", "Ban chỉ đạo chuyển đổi số thành phố Đà Nẵng",
                CommitteeLevel.Province, DaNang2025, "uy-ban-quoc-gia", [MandateTopic.DigitalTransformation], null),
        ]));
    }

    private sealed class BearerHandler(string token) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>The same service in the embedded mode: SQLite, in-memory bus, in-process cache.</summary>
public sealed class EmbeddedMembershipApiHost() : MembershipApiHost("Sqlite");

/// <summary>What a failed call carries: the status code and the google.rpc details clients read.</summary>
public static class Failure
{
    public static async Task<Google.Rpc.Status> Of<T>(AsyncUnaryCall<T> call)
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        // Refusals by the authorization middleware (a missing scope) carry a plain status.
        return exception.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)exception.StatusCode, Message = exception.Status.Detail };
    }

    /// <summary>Asserts INVALID_ARGUMENT whose violations name exactly these fields (in order).</summary>
    public static async Task<IReadOnlyList<BadRequest.Types.FieldViolation>> InvalidAsync<T>(AsyncUnaryCall<T> call, params string[] fields)
    {
        var status = await Of(call);
        Assert.Equal((int)Code.InvalidArgument, status.Code);
        var violations = status.GetDetail<BadRequest>().FieldViolations;
        Assert.Equal(fields, violations.Select(v => v.Field));
        return violations;
    }

    public static async Task<Google.Rpc.Status> CodeAsync<T>(AsyncUnaryCall<T> call, Code code)
    {
        var status = await Of(call);
        Assert.Equal((int)code, status.Code);
        return status;
    }
}
