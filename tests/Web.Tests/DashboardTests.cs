using System.Text.RegularExpressions;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Membership.V1;
using Egov.Steering.Types.V1;
using Egov.Steering.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Egov.Steering.Web.Tests;

/// <summary>The sandbox's page in the browser.</summary>
public sealed class SandboxDashboardTests(SandboxDashboard sandbox) : DashboardTests<SandboxDashboard>(sandbox, "sandbox")
{
    [Fact]
    public async Task The_address_the_banner_prints_opens_the_page_signed_in_and_leaves_no_token_in_the_address_bar()
    {
        var address = Fixture.BannerDashboardAddress();
        Assert.StartsWith(Fixture.Dashboard + "#token=", address, StringComparison.Ordinal);
        var page = await (await Fixture.Browser.NewContextAsync()).NewPageAsync();

        await page.GotoAsync(address);

        await Expect(page.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(page.Locator("#overview-title")).ToBeVisibleAsync();
        await Expect(page.Locator("#national-body")).ToContainTextAsync("Ủy ban");
        Assert.DoesNotContain("token", page.Url, StringComparison.Ordinal);
        Assert.False(await page.Locator("#token-dialog").IsVisibleAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task After_a_network_cut_the_feed_resumes_without_losing_or_repeating_an_event()
    {
        var (province, page, row) = await OpenOnProvinceWithoutCommitteeAsync();
        await page.EvaluateAsync("""
            () => {
              window.liveStates = [];
              const status = document.getElementById('live-status');
              new MutationObserver(() => window.liveStates.push(status.dataset.state)).observe(status, { attributes: true });
            }
            """);

        // The cut: the server goes away (its streams end) and the page cannot reconnect until the decision is applied,
        // so its events reach the page only by resuming after the last position it had.
        await page.RouteAsync(url => url.Contains("/v1/events:stream", StringComparison.Ordinal), route => route.AbortAsync());
        await Fixture.RestartAsync();
        var (number, committeeName) = await IssueEstablishingDecisionAsync(province);
        await Expect(page.Locator("#live-status")).ToHaveAttributeAsync("data-state", "reconnecting");
        await page.UnrouteAllAsync();

        var live = new LocatorAssertionsToContainTextOptions { Timeout = 30_000 };
        await Expect(page.Locator("#ticker")).ToContainTextAsync($"Ban hành Quyết định {number}", live);
        await Expect(row.Locator("[data-column=committee]")).ToContainTextAsync(committeeName, live);
        var positions = await page.Locator("#ticker li").EvaluateAllAsync<long[]>("items => items.map(item => Number(item.dataset.position))");
        Assert.Equal(positions.OrderDescending(), positions); // newest first, each once
        Assert.Equal(positions.Length, positions.Distinct().Count());
        Assert.Contains("reconnecting", await page.EvaluateAsync<string[]>("() => window.liveStates"));
        await ScreenshotAsync(page, "overview-after-network-cut");
    }
}

/// <summary>The distributed mode's page (served by Notifications, reading Membership and Decisions across origins).</summary>
public sealed class DistributedDashboardTests(DistributedDashboard fixture) : DashboardTests<DistributedDashboard>(fixture, "distributed");

/// <summary>
/// The national dashboard in Debian's Chromium, through the page only: what a user sees and does. Each test saves a
/// screenshot of the page it ends on (<see cref="DashboardFixture.ScreenshotFolder"/>).
/// </summary>
public abstract class DashboardTests<TFixture>(TFixture fixture, string mode) : IClassFixture<TFixture>
    where TFixture : DashboardFixture
{
    protected TFixture Fixture => fixture;

    private const string GiaLai2020 = "province-2020-64";
    private const string GiaLai2020Committee = "gia-lai-2020-e-government";

    [Fact]
    public async Task The_overview_as_of_2020_12_31_shows_Gia_Lai_of_2020_with_its_17_members()
    {
        var page = await fixture.OpenAsync();

        await page.GetByLabel("Số liệu tại ngày").FillAsync("31/12/2020");
        await page.GetByLabel("Số liệu tại ngày").PressAsync("Enter");

        await Expect(page.Locator("#overview-date")).ToHaveTextAsync("Số liệu tại ngày 31/12/2020");
        var giaLai = page.Locator($"#rows-body tr[data-organisation='{GiaLai2020}']");
        await Expect(giaLai.Locator("th")).ToContainTextAsync("Gia Lai");
        await Expect(giaLai.Locator("[data-column=members]")).ToHaveTextAsync("17");
        await Expect(giaLai.Locator("[data-column=committee]")).ToContainTextAsync("Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai");
        await Expect(page.Locator("#rows-body tr[data-level=province]")).ToHaveCountAsync(63);
        await ScreenshotAsync(page, "overview-2020-12-31");
    }

    [Fact]
    public async Task The_filter_matches_as_the_servers_search_does_every_word_folded()
    {
        var page = await fixture.OpenAsync("#/?as_of=2020-12-31");
        await Expect(page.Locator("#overview-date")).ToHaveTextAsync("Số liệu tại ngày 31/12/2020");
        var filter = page.Locator("#filter-input");
        var shown = page.Locator("#rows-body tr:not([hidden])");

        await filter.FillAsync("lai  GIA"); // the words in another order, two spaces between
        await Expect(shown).ToHaveCountAsync(1);
        await Expect(shown.Locator("th")).ToContainTextAsync("Gia Lai");

        await filter.FillAsync("\u00D0ắk"); // Ð (U+00D0), typed or decoded for Đ
        await Expect(shown).ToHaveCountAsync(2);
        await Expect(shown.Locator("th")).ToContainTextAsync(["Đắk Lắk", "Đắk Nông"]);
    }

    [Fact]
    public async Task The_overview_as_of_2026_01_01_shows_the_34_provinces()
    {
        var page = await fixture.OpenAsync("#/?as_of=2026-01-01");

        await Expect(page.Locator("#overview-date")).ToHaveTextAsync("Số liệu tại ngày 01/01/2026");
        await Expect(page.Locator("#rows-body tr[data-level=province]")).ToHaveCountAsync(34);
        await Expect(page.Locator("#overview-counts [data-count=provinces]")).ToHaveTextAsync("34 tỉnh, thành phố");
        await Expect(page.Locator($"#rows-body tr[data-organisation='{GiaLai2020}']")).ToHaveCountAsync(0);
        await ScreenshotAsync(page, "overview-2026-01-01");

        // A phone: the same rows, the table scrolls sideways inside its box.
        var phone = await fixture.OpenAsync("#/?as_of=2026-01-01", width: 390, height: 844);
        await Expect(phone.Locator("#rows-body tr[data-level=province]")).ToHaveCountAsync(34);
        await ScreenshotAsync(phone, "overview-2026-01-01-phone");
    }

    [Fact]
    public async Task A_decision_issued_through_the_API_appears_on_the_open_page_without_a_reload()
    {
        var (province, page, row) = await OpenOnProvinceWithoutCommitteeAsync();
        await page.EvaluateAsync("() => { window.loadedOnce = true; }");

        var (number, committeeName) = await IssueEstablishingDecisionAsync(province);

        // Playwright waits (the one-second goal is a budget, not a timed assertion): the feed brings it, no reload.
        var live = new LocatorAssertionsToContainTextOptions { Timeout = 30_000 };
        await Expect(page.Locator("#ticker")).ToContainTextAsync($"Ban hành Quyết định {number}", live);
        await Expect(row.Locator("[data-column=committee]")).ToContainTextAsync(committeeName, live);
        await Expect(row.Locator("[data-column=members]")).ToHaveTextAsync("1", new() { Timeout = 30_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.loadedOnce === true"), "the page was reloaded");
        await ScreenshotAsync(page, "overview-live");
    }

    [Fact]
    public async Task The_committee_page_lists_the_officers_in_protocol_order()
    {
        var page = await fixture.OpenAsync($"#/committees/{GiaLai2020Committee}?as_of=2020-12-31");

        await Expect(page.Locator("#committee-title")).ToHaveTextAsync("Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai");
        var roles = page.Locator("#members-body [data-column=roles]");
        await Expect(roles).ToHaveCountAsync(17);
        await Expect(roles).ToHaveTextAsync([
            "Trưởng ban", "Phó Trưởng ban", "Ủy viên thường trực kiêm Thư ký",
            .. Enumerable.Repeat("Ủy viên", 14),
        ]);
        await Expect(page.Locator("#members-body tr").First.Locator("[data-column=post]")).ToContainTextAsync("Chủ tịch");
        await Expect(page.Locator("#committee-facts")).ToContainTextAsync("Sở Thông tin và Truyền thông tỉnh Gia Lai");
        await Expect(page.Locator("#groups-body")).ToContainTextAsync("Tổ");
        await Expect(page.Locator("#timeline")).ToContainTextAsync("337");
        await ScreenshotAsync(page, "committee-gia-lai-2020-12-31");
    }

    [Fact]
    public async Task The_keyboard_alone_filters_sorts_and_opens_a_committee()
    {
        var page = await fixture.OpenAsync();

        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator(".skip-link")).ToBeFocusedAsync();
        await TabUntilFocusedAsync(page, page.GetByLabel("Số liệu tại ngày"));
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("31/12/2020");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#overview-date")).ToHaveTextAsync("Số liệu tại ngày 31/12/2020");
        await Expect(page.Locator($"#rows-body tr[data-organisation='{GiaLai2020}']")).ToHaveCountAsync(1);
        await Expect(page.GetByLabel("Số liệu tại ngày")).ToBeFocusedAsync();

        await TabUntilFocusedAsync(page, page.Locator("#filter-input"));
        await page.Keyboard.TypeAsync("gia lai"); // without diacritics
        await Expect(page.Locator("#rows-body tr:not([hidden])")).ToHaveCountAsync(1);

        await TabUntilFocusedAsync(page, page.Locator("th[data-sort=members] button"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("th[data-sort=members]")).ToHaveAttributeAsync("aria-sort", "ascending");

        var link = page.Locator($"#rows-body tr[data-organisation='{GiaLai2020}'] [data-column=committee] a");
        await TabUntilFocusedAsync(page, link);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#committee-title")).ToHaveTextAsync("Ban chỉ đạo xây dựng Chính quyền điện tử tỉnh Gia Lai");
        await Expect(page.Locator("#committee-title")).ToBeFocusedAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"#/committees/{GiaLai2020Committee}\\?as_of=2020-12-31$"));
        await ScreenshotAsync(page, "committee-by-keyboard");
    }

    private static async Task TabUntilFocusedAsync(IPage page, ILocator target)
    {
        for (var presses = 0; presses < 60; presses++)
        {
            if (await target.EvaluateAsync<bool>("element => element === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        await Expect(target).ToBeFocusedAsync(new() { Timeout = 1 });
    }

    /// <summary>
    /// The overview of today open on a province in force with no committee yet (its row says so), whose row a decision
    /// establishing one will change.
    /// </summary>
    protected async Task<(NationalOverviewRow Province, IPage Page, ILocator Row)> OpenOnProvinceWithoutCommitteeAsync()
    {
        var overview = await fixture.Membership("national").GetNationalOverviewAsync(new GetNationalOverviewRequest());
        var province = overview.Rows.First(row => row.Level == CommitteeLevel.Province && row.Committee.Length == 0);
        var page = await fixture.OpenAsync();
        var row = page.Locator($"#rows-body tr[data-organisation='{province.Organisation}']");
        await Expect(row.Locator("[data-column=committee]")).ToHaveTextAsync("Chưa đăng ký ban chỉ đạo");
        return (province, page, row);
    }

    /// <summary>
    /// Drafts and issues, as the province's system would, a decision effective today that establishes its committee with a
    /// chair; returns the decision's number and the committee's name.
    /// </summary>
    protected async Task<(string Number, string CommitteeName)> IssueEstablishingDecisionAsync(NationalOverviewRow province)
    {
        var number = $"{Random.Shared.Next(100, 999)}/QĐ-UBND";
        var committeeName = $"Ban Chỉ đạo chuyển đổi số {province.OrganisationDisplayName}";
        var organisation = province.Organisation;
        var organisationName = province.OrganisationDisplayName;
        var day = DashboardFixture.TodayInVietnam();
        var membership = fixture.Membership(organisation);
        var decisions = fixture.Decisions(organisation);
        var chair = await membership.CreatePersonAsync(new CreatePersonRequest { Person = new Person { DisplayName = "Nguyễn Văn Thử" } });
        var date = new CivilDate { Year = day.Year, Month = day.Month, Day = day.Day, Precision = DatePrecision.Day };
        var committeeId = "web-test-" + Guid.NewGuid().ToString("N")[..10];
        var draft = await decisions.CreateDecisionAsync(new CreateDecisionRequest
        {
            DecisionId = committeeId,
            Decision = new Decision
            {
                Number = number,
                Issuer = new Issuer { Organisation = organisation, DisplayName = $"Ủy ban nhân dân {organisationName}" },
                Signer = new Signer { DisplayName = "Nguyễn Văn Ký", Title = "Chủ tịch" },
                SignedDate = date,
                EffectiveDate = date,
                Kinds = { DecisionKind.Establish },
                Title = $"Về việc thành lập {committeeName}",
                Changes =
                {
                    new Change
                    {
                        EstablishCommittee = new EstablishCommittee
                        {
                            CommitteeId = committeeId,
                            DisplayName = committeeName,
                            Level = CommitteeLevel.Province,
                            Jurisdiction = organisation,
                            MandateTopics = { MandateTopic.DigitalTransformation },
                        },
                    },
                    new Change
                    {
                        Appoint = new Appoint
                        {
                            Committee = $"committees/{committeeId}",
                            Entry = new RosterEntry { Holder = new Holder { Person = chair.Name }, Roles = { MembershipRole.Chair } },
                        },
                    },
                },
            },
        });
        await decisions.IssueDecisionAsync(new IssueDecisionRequest { Name = draft.Name, Etag = draft.Etag });
        return (number, committeeName);
    }

    protected async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = DashboardFixture.ScreenshotFolder(mode);
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
