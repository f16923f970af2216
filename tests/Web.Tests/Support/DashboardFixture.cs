using Egov.Steering.Access;
using Egov.Steering.Decisions.V1;
using Egov.Steering.Membership.V1;
using Egov.Steering.TestSupport;
using Microsoft.Playwright;

namespace Egov.Steering.Web.Tests.Support;

/// <summary>
/// A running system (<see cref="StartSystemAsync"/>) and one headless Debian Chromium driven by Playwright for every
/// test of a class. Playwright's own browser download is never used: the browser is the apt package <c>chromium</c>
/// (installed by <c>eng/infra.sh up</c>), or the one <see cref="ChromiumVariable"/> names.
/// </summary>
public abstract class DashboardFixture : IAsyncLifetime
{
    public const string ChromiumVariable = "STEERING_TEST_CHROMIUM";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The dashboard page, e.g. <c>http://127.0.0.1:5110/dashboard/</c>.</summary>
    public abstract Uri Dashboard { get; }

    /// <summary>A national reader's token, as a user would paste it.</summary>
    public string ReaderToken { get; } = DevelopmentTokens.Mint("national", [SteeringScopes.Read], TimeSpan.FromHours(2));

    /// <summary>Membership acting for <paramref name="organisation"/> (read and write).</summary>
    public abstract MembershipService.MembershipServiceClient Membership(string organisation);

    /// <summary>Decisions acting for <paramref name="organisation"/> (read and write).</summary>
    public abstract DecisionsService.DecisionsServiceClient Decisions(string organisation);

    public async Task InitializeAsync()
    {
        await StartSystemAsync();
        playwright = await Playwright.CreateAsync();
        var chromium = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"no Chromium at {chromium}: `eng/infra.sh up` installs Debian's package (or set {ChromiumVariable})");
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
    }

    /// <summary>
    /// A new tab (its own storage, Vietnamese locale and time zone) on the dashboard, at <paramref name="route"/> (the
    /// fragment, e.g. <c>#/?as_of=2020-12-31</c>), signed in with the token the way the sandbox's banner gives it.
    /// </summary>
    public async Task<IPage> OpenAsync(string route = "#/", int width = 1366, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "vi-VN",
            TimezoneId = "Asia/Ho_Chi_Minh",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(new Uri(Dashboard, "#token=" + ReaderToken).ToString());
        await Assertions.Expect(page.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected");
        if (route != "#/")
        {
            await page.EvaluateAsync("route => { location.hash = route; }", route);
        }

        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await StopSystemAsync();
    }

    protected abstract Task StartSystemAsync();

    protected abstract Task StopSystemAsync();

    /// <summary>Today in Vietnam, the register's default as-of date.</summary>
    public static DateOnly TodayInVietnam() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, "Asia/Ho_Chi_Minh"));

    /// <summary>Where screenshots go (CI keeps the folder): <c>TestResults/screenshots/</c> at the repository root.</summary>
    public static string ScreenshotFolder(string mode) =>
        Path.Combine(Environment.GetEnvironmentVariable("STEERING_TEST_SCREENSHOTS") is { Length: > 0 } folder
            ? folder
            : Path.Combine(TestInfrastructure.RepositoryRoot, "TestResults", "screenshots"), mode);
}
