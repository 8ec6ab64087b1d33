using Microsoft.Playwright;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;
using TrackGrains.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using TrackGrains.Testing;

namespace TrackGrains.Tests.Pages;

/// <summary>
/// The pages in a real browser (Debian's Chromium, driven by Playwright) against the real gateway
/// process and the emulator: Spotify sign-in with PKCE, a sync with its progress, the library, the
/// admin page and the dashboard behind its cookie. Playwright never downloads a browser here.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class BrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private const string AdminToken = "browser-test-admin-token-0123456789";
    private const string ClientId = "browser-test-client";
    private const int LibrarySize = 30;

    private ProcessStage _stage = null!;

    public static string ScreenshotFolder => Path.Combine(Path.GetTempPath(), "trackgrains-screenshots");

    public async Task InitializeAsync()
    {
        _stage = await ProcessStage.StartAsync("trackgrains-browser-", new EmulatorOptions
        {
            SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "browser-app", ApiKey = "browser-key-secret-0001", Quota = 100_000, RateLimit = 100_000 }],
            // /authorize signs this listener in; Realistic quirks put local files, episodes and null tracks in the library.
            SpotifyAccounts = new SpotifyAccountsOptions
            {
                ClientId = ClientId,
                DemoUser = new SpotifyUserOptions { UserId = "browser-listener", LibrarySize = LibrarySize, Seed = 7, Quirks = SpotifyLibraryQuirks.Realistic },
            },
        });
    }

    public async Task DisposeAsync() => await _stage.DisposeAsync();

    private Dictionary<string, string?> Settings() =>
        _stage.Settings(AdminToken).With(new Dictionary<string, string?>
        {
            ["Spotify:ClientId"] = ClientId,
        });

    [Fact]
    public async Task A_listener_connects_syncs_and_sees_the_library_and_the_admin_sees_stats_and_the_dashboard()
    {
        Assert.True(File.Exists(ChromiumPath),
            $"This test drives Debian's Chromium at {ChromiumPath}, which is missing: install it (apt-get install -y chromium). " +
            "It is not skipped on purpose: a browser test that silently passes proves nothing.");
        Directory.CreateDirectory(ScreenshotFolder);

        await using var gateway = await GatewayServer.StartAsync(Settings(), _stage.Folder);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        SetDefaultExpectTimeout(30_000);

        var errors = new List<string>();
        var hosts = new HashSet<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        page.Request += (_, request) => hosts.Add(new Uri(request.Url).Authority);

        // Sign in: Connect goes to the emulator's /authorize, which approves and sends the browser to /callback,
        // where the page exchanges the code (PKCE) and keeps the token in sessionStorage.
        await page.GotoAsync($"{gateway.BaseUrl}/");
        await page.ClickAsync("#connect");
        await Expect(page.Locator("#library")).ToBeVisibleAsync();
        Assert.Equal($"{gateway.BaseUrl}/", page.Url);
        Assert.False(string.IsNullOrEmpty(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('tg.spotifyToken')")));
        await Expect(page.Locator("#empty")).ToContainTextAsync("press Sync");

        await page.ClickAsync("#sync");
        await Expect(page.Locator("#sync-text")).ToContainTextAsync("Done:", new() { Timeout = 60_000 });
        await Expect(page.Locator("#sync-percent")).ToHaveTextAsync("100 %");
        Assert.Equal(1.0, await page.Locator("#sync-progress").EvaluateAsync<double>("p => p.value"));

        var rows = page.Locator("#tracks tbody tr");
        await Expect(rows.First).ToBeVisibleAsync();
        var tempos = await page.Locator("#tracks tbody tr td:nth-child(4)").AllInnerTextsAsync();
        Assert.NotEmpty(tempos);
        Assert.Contains(tempos, t => double.TryParse(t, out var bpm) && bpm > 0);
        Assert.True(await page.Locator("#plot circle.dot").CountAsync() > 0, "the scatter plot draws the tracks with audio features");
        var pageInfo = await page.Locator("#page-info").InnerTextAsync();
        Assert.Matches(@"^1–\d+ of \d+$", pageInfo);

        // The search box filters the loaded page by name.
        var firstName = await page.Locator("#tracks tbody tr td.name").First.InnerTextAsync();
        await page.FillAsync("#search", firstName);
        Assert.All(await page.Locator("#tracks tbody tr td.name").AllInnerTextsAsync(),
            name => Assert.Contains(firstName, name, StringComparison.OrdinalIgnoreCase));
        await page.FillAsync("#search", "");

        var libraryShot = Path.Combine(ScreenshotFolder, "library.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = libraryShot, FullPage = true });
        output.WriteLine($"library screenshot: {libraryShot}");

        // Admin: the token opens the page's data (bearer) and the dashboard (cookie).
        await page.GotoAsync($"{gateway.BaseUrl}/admin");
        await page.FillAsync("#admin-token", AdminToken);
        await page.ClickAsync("#signin-form button[type=submit]");
        await Expect(page.Locator("#totals .tile").First).ToBeVisibleAsync();
        await Expect(page.Locator("#keys tbody")).ToContainTextAsync("browser-app");
        await Expect(page.Locator("#keys tbody")).Not.ToContainTextAsync("browser-key-secret");
        await Expect(page.Locator("#daily tbody tr").First).ToBeVisibleAsync();

        // The backup button fetches a snapshot with the bearer header and hands it to the browser as a download.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#backup"));
        var downloaded = Path.Combine(_stage.Folder, "admin-download.db");
        await download.SaveAsAsync(downloaded);
        Assert.Matches(@"^trackgrains-\d{8}-\d{6}Z\.db$", download.SuggestedFilename);
        Assert.Equal("ok", (await DatabaseProbe.RowAsync(TestDatabase.Sqlite(downloaded), "PRAGMA integrity_check"))!.Values.Single());
        await Expect(page.Locator("#backup-result")).ToContainTextAsync("Saved trackgrains-");

        var adminShot = Path.Combine(ScreenshotFolder, "admin.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = adminShot, FullPage = true });
        output.WriteLine($"admin screenshot: {adminShot}");

        Assert.True(errors.Count == 0, "the pages logged errors (a CSP violation shows up here too):\n" + string.Join("\n", errors));
        var own = new HashSet<string> { new Uri(gateway.BaseUrl).Authority, new Uri(_stage.Emulator.BaseUrl).Authority };
        Assert.True(hosts.IsSubsetOf(own), $"the pages reached other hosts: {string.Join(", ", hosts.Except(own))}");

        var dashboard = await page.GotoAsync($"{gateway.BaseUrl}/dashboard/");
        Assert.Equal(200, dashboard!.Status);
        await Expect(page).ToHaveTitleAsync("Orleans Dashboard");
    }
}
