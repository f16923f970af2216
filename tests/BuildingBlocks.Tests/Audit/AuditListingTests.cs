using Egov.Steering.Audit.V1;
using Egov.Steering.BuildingBlocks.Tests.Idempotency;
using Egov.Steering.ServiceDefaults.Audit;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Egov.Steering.BuildingBlocks.Tests.Audit;

/// <summary>ListAuditRecords over gRPC on a real PostgreSQL audit table.</summary>
public class AuditListingTests
{
    private static readonly DateTime Monday = new(2026, 3, 2, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Records_are_filtered_by_organisation_newest_first()
    {
        await using var host = await AuditTestHost.StartAsync();
        await SeedAsync(host);

        var records = await ListAllAsync(host, new ListAuditRecordsRequest { Organisation = "province-2025-52" });

        Assert.Equal(["committees/gia-lai/memberships/m-2", "committees/gia-lai/memberships/m-1", "committees/gia-lai"],
            records.Select(record => record.Resource));
        Assert.All(records, record => Assert.Equal("province-2025-52", record.Organisation));
    }

    [Fact]
    public async Task A_resource_matches_exactly_and_a_trailing_slash_matches_everything_under_it()
    {
        await using var host = await AuditTestHost.StartAsync();
        await SeedAsync(host);

        var exact = await ListAllAsync(host, new ListAuditRecordsRequest { Resource = "committees/gia-lai" });
        var under = await ListAllAsync(host, new ListAuditRecordsRequest { Resource = "committees/gia-lai/" });

        Assert.Equal(["committees/gia-lai"], exact.Select(record => record.Resource));
        Assert.Equal(["committees/gia-lai/memberships/m-2", "committees/gia-lai/memberships/m-1"],
            under.Select(record => record.Resource));
    }

    [Fact]
    public async Task A_time_window_includes_its_start_and_excludes_its_end()
    {
        await using var host = await AuditTestHost.StartAsync();
        await SeedAsync(host);

        var records = await ListAllAsync(host, new ListAuditRecordsRequest
        {
            StartTime = Timestamp.FromDateTime(Monday.AddHours(1)),
            EndTime = Timestamp.FromDateTime(Monday.AddHours(3)),
        });

        Assert.Equal([Monday.AddHours(2), Monday.AddHours(1)], records.Select(record => record.Time.ToDateTime()));
    }

    [Fact]
    public async Task Pages_cover_every_record_once_in_order_and_the_last_has_no_token()
    {
        await using var host = await AuditTestHost.StartAsync();
        var seeded = await SeedAsync(host);
        var request = new ListAuditRecordsRequest { PageSize = 2 };
        var pages = new List<ListAuditRecordsResponse>();
        do
        {
            pages.Add(await host.Client.ListAuditRecordsAsync(request, Admin()).ResponseAsync);
            request.PageToken = pages[^1].NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal([2, 2, 1], pages.Select(page => page.AuditRecords.Count));
        Assert.Equal(
            seeded.OrderByDescending(entry => entry.OccurredAt).Select(entry => entry.Resource),
            pages.SelectMany(page => page.AuditRecords).Select(record => record.Resource));
    }

    [Fact]
    public async Task Records_carry_who_did_what_and_the_request_id()
    {
        await using var host = await AuditTestHost.StartAsync();
        await SeedAsync(host);

        var record = Assert.Single(await ListAllAsync(host, new ListAuditRecordsRequest { Resource = "committees/gia-lai" }));

        Assert.Equal(
            ("clerk-1", "province-2025-52", "/egov.steering.membership.v1.MembershipService/CreateCommittee",
                "6f1d0c52-2a36-4c4e-9a3c-51b0a4f0a001", Monday),
            (record.Subject, record.Organisation, record.Method, record.RequestId, record.Time.ToDateTime()));
    }

    [Fact]
    public async Task A_page_token_used_with_other_filters_is_an_invalid_argument()
    {
        await using var host = await AuditTestHost.StartAsync();
        await SeedAsync(host);
        var first = await host.Client.ListAuditRecordsAsync(new ListAuditRecordsRequest { PageSize = 1 }, Admin()).ResponseAsync;

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.ListAuditRecordsAsync(
            new ListAuditRecordsRequest { PageSize = 1, PageToken = first.NextPageToken, Organisation = "national" },
            Admin()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("page_token", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_end_before_the_start_and_a_negative_page_size_are_invalid_arguments()
    {
        await using var host = await AuditTestHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Client.ListAuditRecordsAsync(
            new ListAuditRecordsRequest
            {
                PageSize = -1,
                StartTime = Timestamp.FromDateTime(Monday),
                EndTime = Timestamp.FromDateTime(Monday.AddDays(-1)),
            },
            Admin()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("page_size", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("end_time", error.Status.Detail, StringComparison.Ordinal);
    }

    private static Metadata Admin() => AuditTestHost.Bearer(AuditTestHost.AdminToken());

    private static async Task<List<AuditRecord>> ListAllAsync(AuditTestHost host, ListAuditRecordsRequest request) =>
        [.. (await host.Client.ListAuditRecordsAsync(request, Admin()).ResponseAsync).AuditRecords];

    /// <summary>Five writes an hour apart: Gia Lai's committee and memberships, a ministry's, the national one.</summary>
    private static async Task<List<AuditEntry>> SeedAsync(AuditTestHost host)
    {
        List<AuditEntry> entries =
        [
            Entry(0, "clerk-1", "province-2025-52", "CreateCommittee", "committees/gia-lai", "6f1d0c52-2a36-4c4e-9a3c-51b0a4f0a001"),
            Entry(1, "clerk-2", "ministry-bkhcn", "CreateCommittee", "committees/bkhcn", null),
            Entry(2, "clerk-1", "province-2025-52", "CreateMembership", "committees/gia-lai/memberships/m-1", null),
            Entry(3, "operator", "national", "UpdateCommittee", "committees/national", null),
            Entry(4, "clerk-1", "province-2025-52", "CreateMembership", "committees/gia-lai/memberships/m-2", null),
        ];
        await using var db = new WriteTestContext(WriteTestContext.Options(host.Database));
        db.AddRange(entries);
        await db.SaveChangesAsync();
        return entries;
    }

    private static AuditEntry Entry(int hour, string subject, string organisation, string method, string resource, string? requestId) => new()
    {
        OccurredAt = Monday.AddHours(hour),
        Subject = subject,
        Organisation = organisation,
        Method = $"/egov.steering.membership.v1.MembershipService/{method}",
        Resource = resource,
        RequestId = requestId,
    };
}
