using Egov.Steering.Audit.V1;
using Egov.Steering.Membership.V1;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using static Egov.Steering.Membership.Tests.Grpc.MembershipApiHost;
using T = Egov.Steering.Types.V1;

namespace Egov.Steering.Membership.Tests.Grpc;

/// <summary>Committees through the real gRPC pipeline: as-of reads across the 2021 rename and the 2025 merger, listing, writes.</summary>
public class CommitteeApiTests(MembershipApiHost host) : IClassFixture<MembershipApiHost>
{
    private readonly MembershipService.MembershipServiceClient reader = host.Client(DaNang2025);

    internal static Google.Type.Date Day(int year, int month, int day) => new() { Year = year, Month = month, Day = day };

    [Fact]
    public async Task A_committee_answers_with_the_name_in_force_on_the_date()
    {
        var before = await reader.GetCommitteeAsync(new GetCommitteeRequest { Name = "committees/uy-ban-quoc-gia", AsOf = Day(2021, 4, 5) });
        var onTheDay = await reader.GetCommitteeAsync(new GetCommitteeRequest { Name = "committees/uy-ban-quoc-gia", AsOf = Day(2021, 4, 6) });

        Assert.Equal("Ủy ban Quốc gia về Chính phủ điện tử", before.DisplayName);
        Assert.Equal("Ủy ban Quốc gia về chuyển đổi số", onTheDay.DisplayName);
        Assert.Equal(["Ủy ban Quốc gia về Chính phủ điện tử", "Ủy ban Quốc gia về chuyển đổi số"], onTheDay.Names.Select(n => n.DisplayName));
        Assert.Equal("decisions/qd-505", onTheDay.Names[1].Decision);
    }

    [Fact]
    public async Task Reads_before_the_2025_merger_answer_as_of_then()
    {
        var before = await reader.GetCommitteeAsync(new GetCommitteeRequest { Name = "committees/bcd-gia-lai", AsOf = Day(2025, 6, 30) });
        var after = await reader.GetCommitteeAsync(new GetCommitteeRequest { Name = "committees/bcd-gia-lai", AsOf = Day(2025, 7, 1) });
        var successor = await reader.GetCommitteeAsync(new GetCommitteeRequest { Name = "committees/bcd-gia-lai-2025", AsOf = Day(2025, 7, 1) });

        Assert.Equal(CommitteeState.Active, before.State);
        Assert.Equal((CommitteeState.Merged, "committees/bcd-gia-lai-2025"), (after.State, after.Successor));
        Assert.Equal(["committees/bcd-binh-dinh", "committees/bcd-gia-lai"], successor.Predecessors);
        var early = await reader.GetCommitteeAsync(new GetCommitteeRequest { Name = "committees/bcd-gia-lai-2025", AsOf = Day(2025, 6, 30) });
        Assert.Equal(CommitteeState.Planned, early.State);
    }

    [Fact]
    public async Task Lineage_links_both_merged_committees_to_their_successor()
    {
        var lineage = await reader.GetCommitteeLineageAsync(new GetCommitteeLineageRequest { Name = "committees/bcd-binh-dinh" });

        Assert.Equal(
            [("committees/bcd-binh-dinh", "committees/bcd-gia-lai-2025"), ("committees/bcd-gia-lai", "committees/bcd-gia-lai-2025")],
            lineage.Links.Select(l => (l.Predecessor, l.Successor)));
        Assert.All(lineage.Links, l => Assert.Equal(("decisions/qd-merge", 2025, 7, 1), (l.Decision, l.EffectiveDate.Year, l.EffectiveDate.Month, l.EffectiveDate.Day)));
    }

    [Fact]
    public async Task Unknown_committee_is_not_found_and_a_malformed_request_names_each_field()
    {
        var missing = await Failure.CodeAsync(reader.GetCommitteeAsync(new GetCommitteeRequest { Name = "committees/khong-co" }), Code.NotFound);
        Assert.Equal("committees/khong-co", missing.GetDetail<ResourceInfo>().ResourceName);

        await Failure.InvalidAsync(reader.GetCommitteeAsync(new GetCommitteeRequest { Name = "committee/Gia Lai", AsOf = Day(2025, 12, 1) }), "name");

        // A date that is no date is refused at the edge, before the method's own checks.
        await Failure.InvalidAsync(reader.GetCommitteeAsync(new GetCommitteeRequest { Name = "committee/Gia Lai", AsOf = Day(2025, 13, 1) }), "as_of");
        await Failure.InvalidAsync(reader.GetCommitteeLineageAsync(new GetCommitteeLineageRequest()), "name");
    }

    [Theory]
    [InlineData("da nang")]
    [InlineData("ĐÀ NẴNG")]
    [InlineData("thanh pho da")]
    public async Task Listing_searches_without_case_or_diacritics(string query)
    {
        var found = await reader.ListCommitteesAsync(new ListCommitteesRequest { Query = query });

        Assert.Equal(["committees/bcd-da-nang"], found.Committees.Select(c => c.Name));
    }

    [Fact]
    public async Task Listing_filters_by_level_jurisdiction_and_state_on_the_date()
    {
        var provinces2024 = await reader.ListCommitteesAsync(new ListCommitteesRequest
        {
            AsOf = Day(2024, 1, 1), Levels = { T.CommitteeLevel.Province }, Jurisdictions = { GiaLai2020, "province-2020-52", GiaLai2025 },
        });
        var merged = await reader.ListCommitteesAsync(new ListCommitteesRequest
        {
            AsOf = Day(2025, 7, 1), States = { CommitteeState.Merged },
        });

        Assert.Equal(["committees/bcd-binh-dinh", "committees/bcd-gia-lai"], provinces2024.Committees.Select(c => c.Name));
        Assert.Equal(["committees/bcd-binh-dinh", "committees/bcd-gia-lai"], merged.Committees.Select(c => c.Name));
        await Failure.InvalidAsync(
            reader.ListCommitteesAsync(new ListCommitteesRequest { PageSize = -1, Levels = { (T.CommitteeLevel)42 }, Jurisdictions = { "tinh-gia-lai" } }),
            "page_size", "levels[0]", "jurisdictions[0]");
    }

    [Fact]
    public async Task Listing_pages_through_names_in_vietnamese_order()
    {
        // Code-point order would put "Ân" and "Ăn" after "E" and "Đồng" after "Ê": vi-VN puts them where Vietnamese readers expect.
        string[] names = ["Ê", "Đồng", "An", "Ăn", "Dương", "Ân", "E", "Bình"];
        // Ministries that still exist today: a committee of one that ceased (Bộ Kế hoạch và Đầu tư) has ended with it.
        string[] ministries = ["ministry-bqp", "ministry-bca", "ministry-bng", "ministry-bnv", "ministry-btp", "ministry-nhnn", "ministry-btc", "ministry-bct"];
        var admin = host.AdminClient();
        foreach (var (name, ministry) in names.Zip(ministries))
        {
            await admin.CreateCommitteeAsync(new CreateCommitteeRequest
            {
                Committee = new Committee { DisplayName = $"Ban Zqx {name}", Level = T.CommitteeLevel.Ministry, Jurisdiction = ministry },
            });
        }

        var pages = new List<IEnumerable<string>>();
        var request = new ListCommitteesRequest { Query = "zqx", PageSize = 3 };
        do
        {
            var page = await reader.ListCommitteesAsync(request);
            pages.Add(page.Committees.Select(c => c.DisplayName["Ban Zqx ".Length..]));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal([["An", "Ăn", "Ân"], ["Bình", "Dương", "Đồng"], ["E", "Ê"]], pages);
        var first = await reader.ListCommitteesAsync(new ListCommitteesRequest { Query = "zqx", PageSize = 3 });
        var violation = Assert.Single(await Failure.InvalidAsync(
            reader.ListCommitteesAsync(new ListCommitteesRequest { Query = "zqx ban", PageToken = first.NextPageToken }), "page_token"));
        Assert.Contains("different query", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_registers_a_committee_once_per_request_id_and_audits_it()
    {
        var writer = host.Writer("ministry-byt");
        var request = new CreateCommitteeRequest
        {
            Committee = new Committee
            {
                DisplayName = "Ban Chỉ đạo chuyển đổi số Bộ Y tế",
                Level = T.CommitteeLevel.Ministry,
                Jurisdiction = "ministry-byt",
                Parent = "committees/uy-ban-quoc-gia",
                MandateTopics = { T.MandateTopic.DigitalTransformation },
                FoundingDate = new T.CivilDate { Year = 2021, Precision = T.DatePrecision.Year },
            },
            RequestId = Guid.NewGuid().ToString(),
        };

        var created = await writer.CreateCommitteeAsync(request);
        var retried = await writer.CreateCommitteeAsync(request);

        Assert.Equal("committees/ministry-byt", created.Name);
        Assert.Equal((CommitteeState.Active, 1L), (created.State, created.Version));
        Assert.Equal(created, retried);
        var again = await Failure.CodeAsync(writer.CreateCommitteeAsync(request.Clone().Also(r => r.RequestId = "")), Code.FailedPrecondition);
        Assert.Equal("committees/ministry-byt", again.GetDetail<PreconditionFailure>().Violations.Single().Subject);
        var created1 = Assert.Single(await host.OutboxEventsAsync(created.Name));
        Assert.Equal((1L, "ministry-byt", "Ban Chỉ đạo chuyển đổi số Bộ Y tế"), (created1.AggregateVersion, created1.Jurisdiction, created1.CommitteeCreated.Committee.DisplayName));
        var audit = await host.AuditClient().ListAuditRecordsAsync(new ListAuditRecordsRequest { Resource = created.Name });
        var record = Assert.Single(audit.AuditRecords);
        Assert.Equal(("ministry-byt", "/egov.steering.membership.v1.MembershipService/CreateCommittee", request.RequestId), (record.Organisation, record.Method, record.RequestId));
    }

    [Theory]
    [InlineData("Ban chỉ đạo \uFFFD")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task Creating_rejects_bad_names_and_every_other_bad_field_at_once(string? name)
    {
        var violations = await Failure.InvalidAsync(
            host.AdminClient().CreateCommitteeAsync(new CreateCommitteeRequest
            {
                CommitteeId = "9-bad",
                Committee = new Committee
                {
                    DisplayName = name ?? new string('a', 301),
                    Level = (T.CommitteeLevel)99,
                    Jurisdiction = "tinh-gia-lai",
                    FoundingDate = new T.CivilDate { Year = 2020, Month = 2, Day = 30, Precision = T.DatePrecision.Day },
                },
            }),
            "committee_id", "committee.display_name", "committee.level", "committee.jurisdiction", "committee.founding_date");
        Assert.Contains("tinh-gia-lai", violations[3].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_refuses_a_control_character_at_the_edge_naming_the_field()
    {
        var violations = await Failure.InvalidAsync(
            host.AdminClient().CreateCommitteeAsync(new CreateCommitteeRequest
            {
                CommitteeId = "9-bad",
                Committee = new Committee { DisplayName = "Ban\u0007 chỉ đạo", Level = T.CommitteeLevel.Province, Jurisdiction = "province-2020-64" },
            }),
            "committee.display_name");
        Assert.Contains("control", violations[0].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_checks_level_owner_id_and_parent()
    {
        var admin = host.AdminClient();
        var mismatch = new Committee { DisplayName = "Ban chỉ đạo", Level = T.CommitteeLevel.Province, Jurisdiction = "ministry-bgddt" };
        await Failure.InvalidAsync(admin.CreateCommitteeAsync(new CreateCommitteeRequest { Committee = mismatch }), "committee.level");

        var other = new Committee { DisplayName = "Ban chỉ đạo", Level = T.CommitteeLevel.Ministry, Jurisdiction = "ministry-bgddt" };
        var denied = await Failure.CodeAsync(host.Writer(DaNang2025).CreateCommitteeAsync(new CreateCommitteeRequest { Committee = other }), Code.PermissionDenied);
        Assert.Equal("OTHER_ORGANISATION", denied.GetDetail<ErrorInfo>().Reason);
        await Failure.CodeAsync(host.Client("ministry-bgddt").CreateCommitteeAsync(new CreateCommitteeRequest { Committee = other }), Code.PermissionDenied);

        // Ids are never reused, even those of committees that ended long ago.
        var taken = await Failure.CodeAsync(
            admin.CreateCommitteeAsync(new CreateCommitteeRequest { CommitteeId = "bcd-gia-lai", Committee = other }), Code.AlreadyExists);
        Assert.Equal("committees/bcd-gia-lai", taken.GetDetail<ResourceInfo>().ResourceName);
        await Failure.InvalidAsync(
            admin.CreateCommitteeAsync(new CreateCommitteeRequest { Committee = other.Clone().Also(c => c.Parent = "committees/khong-co") }),
            "committee.parent");
    }

    [Fact]
    public async Task Concurrent_creates_of_one_id_give_one_committee_and_already_exists_to_the_others()
    {
        var admin = host.AdminClient();
        // Ministries in force today: one that ceased in 2025 gets no new committee (JURISDICTION_CEASED).
        string[] ministries = ["ministry-bxd", "ministry-bvhttdl", "ministry-ttcp", "ministry-vpcp", "ministry-bdttg"];
        var calls = ministries.Select(ministry => admin.CreateCommitteeAsync(new CreateCommitteeRequest
        {
            CommitteeId = "cung-mot-ma",
            Committee = new Committee { DisplayName = "Ban chỉ đạo " + ministry, Level = T.CommitteeLevel.Ministry, Jurisdiction = ministry },
        }).ResponseAsync).ToList();

        var outcomes = await Task.WhenAll(calls.Select(async call =>
        {
            try
            {
                return (await call).Name;
            }
            catch (RpcException e)
            {
                return e.StatusCode.ToString();
            }
        }));

        Assert.Equal([.. Enumerable.Repeat(nameof(StatusCode.AlreadyExists), 4), "committees/cung-mot-ma"], outcomes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Updating_changes_clerical_fields_only_against_the_current_etag()
    {
        var writer = host.Writer(GiaLai2025);
        var current = await writer.GetCommitteeAsync(new GetCommitteeRequest { Name = "committees/bcd-gia-lai-2025" });
        var change = current.Clone();
        change.Description = "Thường trực: Sở Khoa học và Công nghệ";
        change.OtherSpellings.Add("BCĐ CĐS tỉnh Gia Lai");

        var updated = await writer.UpdateCommitteeAsync(new UpdateCommitteeRequest
        {
            Committee = change, UpdateMask = new FieldMask { Paths = { "description", "other_spellings" } },
        });

        Assert.Equal(("Thường trực: Sở Khoa học và Công nghệ", "BCĐ CĐS tỉnh Gia Lai"), (updated.Description, updated.OtherSpellings.Single()));
        Assert.NotEqual(current.Etag, updated.Etag);
        var announced = (await host.OutboxEventsAsync(updated.Name))[^1];
        Assert.Equal(updated.Version, announced.AggregateVersion);
        Assert.Equal(["description", "other_spellings"], announced.CommitteeUpdated.UpdateMask.Paths);
        Assert.Equal(updated, await reader.GetCommitteeAsync(new GetCommitteeRequest { Name = updated.Name }));
        Assert.Equal(["committees/bcd-gia-lai-2025"], (await reader.ListCommitteesAsync(new ListCommitteesRequest { Query = "bcd cds" })).Committees.Select(c => c.Name));

        await Failure.CodeAsync(
            writer.UpdateCommitteeAsync(new UpdateCommitteeRequest { Committee = change, UpdateMask = new FieldMask { Paths = { "description" } } }),
            Code.Aborted);
        var renamed = await Failure.InvalidAsync(
            writer.UpdateCommitteeAsync(new UpdateCommitteeRequest { Committee = updated, UpdateMask = new FieldMask { Paths = { "description", "display_name" } } }),
            "update_mask.paths[1]");
        Assert.Contains("RenameCommittee", renamed[0].Description, StringComparison.Ordinal);
        await Failure.CodeAsync(
            host.Writer(DaNang2025).UpdateCommitteeAsync(new UpdateCommitteeRequest { Committee = updated, UpdateMask = new FieldMask { Paths = { "description" } } }),
            Code.PermissionDenied);
    }

    [Fact]
    public async Task A_call_without_a_token_is_unauthenticated()
    {
        var exception = await Assert.ThrowsAsync<RpcException>(() =>
            host.Anonymous().GetCommitteeAsync(new GetCommitteeRequest { Name = "committees/bcd-gia-lai" }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, exception.StatusCode);
    }
}

internal static class MessageExtensions
{
    /// <summary>Changes a copy in place and returns it (for variations of one request).</summary>
    public static TMessage Also<TMessage>(this TMessage message, Action<TMessage> change)
    {
        change(message);
        return message;
    }
}
