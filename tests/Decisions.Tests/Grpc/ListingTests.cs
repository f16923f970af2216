using Egov.Steering.Decisions.Grpc;
using Egov.Steering.Decisions.Tests.Support;
using Egov.Steering.Decisions.V1;
using Egov.Steering.ServiceDefaults.Paging;
using Google.Protobuf;
using Grpc.Core;

namespace Egov.Steering.Decisions.Tests.Grpc;

/// <summary>ListDecisions: every filter, diacritic-insensitive search of numbers and titles, and paging.</summary>
public sealed class ListingTests : IAsyncLifetime
{
    private FakeMembership membership = null!;
    private DecisionsHost host = null!;
    private DecisionsService.DecisionsServiceClient national = null!;
    private DecisionsService.DecisionsServiceClient giaLai = null!;

    public async Task InitializeAsync()
    {
        membership = await FakeMembership.StartAsync();
        host = await DecisionsHost.StartAsync(membership.Address);
        national = host.Client("national");
        giaLai = host.Client(Drafts.GiaLai);

        var decision701 = Drafts.GiaLaiConsolidation("701/QĐ-TTg");
        decision701.Issuer = new Issuer { Organisation = "national", DisplayName = "Thủ tướng Chính phủ" };
        decision701.SubjectCommittees[0] = "committees/national";
        foreach (var change in decision701.Changes)
        {
            change.Appoint.Committee = "committees/national";
        }

        decision701.Kinds[0] = DecisionKind.Amend;
        decision701.Title = "Về việc kiện toàn Ủy ban Quốc gia về Chính phủ điện tử";
        decision701.Summary = "Bổ sung nhiệm vụ đô thị thông minh, chuyển đổi số";
        decision701.SignedDate = decision701.EffectiveDate = Drafts.Day(2020, 5, 26);
        var created = await national.CreateDecisionAsync(new CreateDecisionRequest { Decision = decision701, DecisionId = "qd-701-ttg-2020" });
        await national.IssueDecisionAsync(new IssueDecisionRequest { Name = created.Name });

        await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.GiaLaiConsolidation("337/QĐ-UBND"), DecisionId = "qd-337-ubnd-2025" });
        var older = Drafts.GiaLaiConsolidation("12/QĐ-UBND");
        older.SignedDate = older.EffectiveDate = Drafts.Day(2019, 6, 20);
        older.Kinds.Add(DecisionKind.Rename);
        await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = older, DecisionId = "qd-12-ubnd-2019" });
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await membership.DisposeAsync();
    }

    [Fact]
    public async Task Every_decision_latest_effective_first() =>
        Assert.Equal(["qd-337-ubnd-2025", "qd-701-ttg-2020", "qd-12-ubnd-2019"], await ListAsync(new ListDecisionsRequest()));

    [Fact]
    public async Task Filters_combine()
    {
        Assert.Equal(["qd-701-ttg-2020"], await ListAsync(new ListDecisionsRequest { Committee = "committees/national" }));
        Assert.Equal(["qd-337-ubnd-2025", "qd-12-ubnd-2019"], await ListAsync(new ListDecisionsRequest { Issuer = Drafts.GiaLai }));
        Assert.Equal(["qd-12-ubnd-2019"], await ListAsync(new ListDecisionsRequest { Kinds = { DecisionKind.Rename, DecisionKind.Establish } }));
        Assert.Equal(["qd-701-ttg-2020"], await ListAsync(new ListDecisionsRequest { States = { DecisionState.Issued } }));
        Assert.Equal(
            ["qd-701-ttg-2020", "qd-12-ubnd-2019"],
            await ListAsync(new ListDecisionsRequest
            {
                EffectiveStartDate = new Google.Type.Date { Year = 2019, Month = 1, Day = 1 },
                EffectiveEndDate = new Google.Type.Date { Year = 2020, Month = 5, Day = 26 },
            }));
        Assert.Equal(["qd-12-ubnd-2019"], await ListAsync(new ListDecisionsRequest { Issuer = Drafts.GiaLai, EffectiveEndDate = new Google.Type.Date { Year = 2024, Month = 12, Day = 31 } }));
    }

    [Fact]
    public async Task Numbers_and_titles_are_searched_ignoring_case_and_diacritics()
    {
        Assert.Equal(["qd-701-ttg-2020"], await ListAsync(new ListDecisionsRequest { Number = "qd-ttg" }));
        Assert.Equal(["qd-337-ubnd-2025"], await ListAsync(new ListDecisionsRequest { Number = "337/qđ" }));
        Assert.Equal(["qd-701-ttg-2020"], await ListAsync(new ListDecisionsRequest { Query = "uy ban quoc gia" }));
        Assert.Equal(["qd-701-ttg-2020"], await ListAsync(new ListDecisionsRequest { Query = "DO THI thông minh" }));
    }

    [Fact]
    public async Task Pages_cover_every_decision_once_and_tokens_are_bound_to_their_query()
    {
        var names = new List<string>();
        var request = new ListDecisionsRequest { PageSize = 1 };
        do
        {
            var page = await national.ListDecisionsAsync(request);
            names.AddRange(page.Decisions.Select(d => d.Name["decisions/".Length..]));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(["qd-337-ubnd-2025", "qd-701-ttg-2020", "qd-12-ubnd-2019"], names);

        var first = await national.ListDecisionsAsync(new ListDecisionsRequest { PageSize = 1 });
        var misuse = await Errors.CallFailsAsync(StatusCode.InvalidArgument, () => national.ListDecisionsAsync(new ListDecisionsRequest { PageSize = 1, Issuer = "national", PageToken = first.NextPageToken }).ResponseAsync);
        Assert.Equal(["page_token"], misuse.FieldViolations());
    }

    [Fact]
    public async Task Malformed_filters_are_invalid_arguments()
    {
        var error = await Errors.CallFailsAsync(StatusCode.InvalidArgument, () => national.ListDecisionsAsync(new ListDecisionsRequest
        {
            PageSize = -1,
            Committee = "gia-lai",
            States = { (DecisionState)42 },
            EffectiveStartDate = new Google.Type.Date { Year = 2025, Month = 2, Day = 0 },
        }).ResponseAsync);

        Assert.Equal(["page_size", "committee", "states[0]", "effective_start_date"], error.FieldViolations());

        // A date that is no date is refused at the edge, before the method's own checks.
        var noDate = await Errors.CallFailsAsync(StatusCode.InvalidArgument, () => national.ListDecisionsAsync(new ListDecisionsRequest
        {
            EffectiveStartDate = new Google.Type.Date { Year = 2025, Month = 2, Day = 30 },
        }).ResponseAsync);
        Assert.Equal(["effective_start_date"], noDate.FieldViolations());
    }

    private async Task<List<string>> ListAsync(ListDecisionsRequest request) =>
        (await national.ListDecisionsAsync(request)).Decisions.Select(d => d.Name["decisions/".Length..]).ToList();

    [Fact]
    public async Task A_page_of_large_decisions_stays_readable_by_a_default_client_and_the_next_pages_hold_the_rest()
    {
        for (var i = 0; i < 5; i++)
        {
            await giaLai.CreateDecisionAsync(new CreateDecisionRequest { Decision = Drafts.WithLargeChanges($"{i}/QĐ-UBND", 185), DecisionId = $"qd-large-{i}" });
        }

        var names = new List<string>();
        var request = new ListDecisionsRequest();
        do
        {
            var page = await giaLai.ListDecisionsAsync(request); // the default client: 4 MiB at most
            Assert.InRange(page.CalculateSize(), 1, PageBytes.MaxBytes + DecisionInput.MaxDecisionBytes);
            names.AddRange(page.Decisions.Select(decision => decision.Name));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(names.Distinct().Count(), names.Count);
        Assert.Subset(names.ToHashSet(), Enumerable.Range(0, 5).Select(i => $"decisions/qd-large-{i}").ToHashSet());
    }
}
