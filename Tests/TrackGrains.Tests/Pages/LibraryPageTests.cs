using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using TrackGrains.Testing;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.Tests.Library;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TrackGrains.Tests.Pages;

/// <summary>
/// The library page as a new user meets it: the real gateway process in demo mode (its own emulator, a
/// 1,500-track demo library), driven in Debian's Chromium. Sign in as the demo listener, sync to 100 %,
/// search and sort over the whole library, the plots of every track, the CSV export. Screenshots go to
/// TestResults/screenshots at the repository root.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class LibraryPageTests(ITestOutputHelper output)
{
    private const int LibrarySize = 1500;
    private const string AdminToken = "library-page-admin-token-0123456789";
    private const string DemoToken = DemoPageServer.DemoToken;

    public static string ScreenshotFolder => Path.Combine(RepositoryFolder.Root, "TestResults", "screenshots");

    [Fact]
    public async Task A_new_user_syncs_the_demo_library_searches_sorts_plots_and_exports_it_whole()
    {
        Assert.True(File.Exists(BrowserTests.ChromiumPath), $"This test drives Debian's Chromium at {BrowserTests.ChromiumPath}: apt-get install -y chromium.");
        Directory.CreateDirectory(ScreenshotFolder);
        var folder = Directory.CreateTempSubdirectory("trackgrains-library-page-").FullName;
        try
        {
            await RunAsync(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task RunAsync(string folder)
    {
        await using var gateway = await GatewayServer.StartAsync(DemoPageServer.Settings(folder, LibrarySize, AdminToken), folder);
        using var api = gateway.Client(DemoToken, TimeSpan.FromSeconds(60));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchChromiumAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        SetDefaultExpectTimeout(30_000);
        var (errors, hosts) = BrowserTests.Watch(page);

        // Sign in as the demo listener; an empty library says what to do.
        await page.GotoAsync($"{gateway.BaseUrl}/");
        await page.ClickAsync("#use-demo");
        await Expect(page.Locator("#empty")).ToContainTextAsync("press Sync");
        await Expect(page.Locator("#charts-state")).ToContainTextAsync("sync your library");
        await Screenshot(page, "library-empty.png");

        // Sync saved tracks and playlists; the bar reaches 100 %.
        await page.SelectOptionAsync("#sync-what", "all");
        await page.ClickAsync("#sync");
        await Expect(page.Locator("#sync-text")).ToContainTextAsync("Done:", new() { Timeout = 120_000 });
        await Expect(page.Locator("#sync-percent")).ToHaveTextAsync("100 %");
        Assert.Equal(1.0, await page.Locator("#sync-progress").EvaluateAsync<double>("p => p.value"));
        await Expect(page.Locator("#count")).ToHaveTextAsync("1,500 tracks");
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("1–50 of 1,500");

        // The plots draw every track of the library, not one page.
        var features = await api.GetFromJsonAsync<JsonElement>("/api/library/features");
        Assert.Equal(LibrarySize, features.GetProperty("total").GetInt32());
        var withBoth = Count(features, "energy", "valence");
        var withTempo = Count(features, "tempo");
        Assert.True(withBoth > LibrarySize * 9 / 10, $"{withBoth} tracks with energy and valence");
        await Expect(page.Locator("#charts")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync($"() => window.Chart && Chart.getChart('scatter') && Chart.getChart('scatter').data.datasets[0].data.length === {withBoth}");
        Assert.Equal(withTempo, await page.EvaluateAsync<int>(
            "() => Chart.getChart('tempo-histogram').data.datasets[0].data.reduce((a, b) => a + b, 0)"));
        Assert.Equal(Count(features, "key") - features.GetProperty("key").EnumerateArray().Count(k => k.ValueKind == JsonValueKind.Number && k.GetDouble() < 0),
            await page.EvaluateAsync<int>("() => Chart.getChart('key-wheel').data.datasets[0].data.reduce((a, b) => a + b, 0)"));
        await Expect(page.Locator("#scatter-note")).ToContainTextAsync(withBoth.ToString("N0", CultureInfo.InvariantCulture) + " tracks");
        await Screenshot(page, "library-synced.png");

        // Hover on a point shows its track; a click opens it under the plot.
        await page.Locator("#scatter").ScrollIntoViewIfNeededAsync();
        var point = await page.EvaluateAsync<JsonElement>(
            "() => { const c = Chart.getChart('scatter'); const p = c.getDatasetMeta(0).data[0]; const r = c.canvas.getBoundingClientRect(); return { x: r.left + p.x, y: r.top + p.y, i: c.data.datasets[0].data[0].i }; }");
        var pointName = features.GetProperty("names")[point.GetProperty("i").GetInt32()].GetString()!;
        await page.Mouse.MoveAsync(point.GetProperty("x").GetSingle(), point.GetProperty("y").GetSingle());
        await page.WaitForFunctionAsync("() => Chart.getChart('scatter').tooltip.getActiveElements().length > 0");
        var hovered = await page.EvaluateAsync<string>("() => Chart.getChart('scatter').tooltip.title.join(' ')");
        await Screenshot(page, "library-scatter-hover.png", fullPage: false);
        await page.Mouse.ClickAsync(point.GetProperty("x").GetSingle(), point.GetProperty("y").GetSingle());
        await Expect(page.Locator("#picked")).ToBeVisibleAsync();
        var picked = await page.Locator("#picked strong").InnerTextAsync();
        // Points may overlap: the track under the pointer is the one shown on hover and opened on click.
        Assert.StartsWith(picked, hovered);
        Assert.Contains(picked, features.GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        await Expect(page.Locator("#picked a")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^spotify:track:[0-9A-Za-z]{22}$"));
        output.WriteLine($"first point: {pointName}; hovered: {hovered}; picked: {picked}");

        // Sorting by tempo asks the server: the fastest track of the whole library comes first.
        await page.ClickAsync("#tracks th[data-sort=tempo] button");
        await Expect(page.Locator("#tracks th[data-sort=tempo]")).ToHaveAttributeAsync("aria-sort", "descending");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("sort=tempo"));
        var fastest = features.GetProperty("tempo").EnumerateArray().Where(t => t.ValueKind == JsonValueKind.Number).Max(t => t.GetDouble());
        await Expect(page.Locator("#tracks tbody tr").First.Locator("td").Nth(3)).ToHaveTextAsync(fastest.ToString("F0", CultureInfo.InvariantCulture));
        await Screenshot(page, "library-sorted-by-tempo.png");

        // Searching narrows the table and the count over the whole library, and the plots follow.
        var artist = features.GetProperty("artists")[LibrarySize - 1].GetString()!.Split(", ")[0];
        var expected = Enumerable.Range(0, LibrarySize).Count(i =>
            features.GetProperty("names")[i].GetString()!.Contains(artist, StringComparison.OrdinalIgnoreCase)
            || features.GetProperty("artists")[i].GetString()!.Contains(artist, StringComparison.OrdinalIgnoreCase));
        Assert.InRange(expected, 1, LibrarySize - 1);
        await page.FillAsync("#search", artist.ToLowerInvariant());
        await Expect(page.Locator("#count")).ToHaveTextAsync(expected == 1 ? "1 track matches" : $"{expected.ToString("N0", CultureInfo.InvariantCulture)} tracks match");
        Assert.All(await page.Locator("#tracks tbody tr").AllInnerTextsAsync(), text => Assert.Contains(artist, text, StringComparison.OrdinalIgnoreCase));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("q="));
        await Expect(page.Locator("#charts-scope")).ToContainTextAsync("matching");
        await Screenshot(page, "library-search.png");

        // The page position lives in the URL: a reload shows the same search and order.
        await page.ReloadAsync();
        await Expect(page.Locator("#search")).ToHaveValueAsync(artist.ToLowerInvariant());
        await Expect(page.Locator("#count")).ToContainTextAsync("match");
        await Expect(page.Locator("#tracks th[data-sort=tempo]")).ToHaveAttributeAsync("aria-sort", "descending");
        await page.FillAsync("#search", "");
        await Expect(page.Locator("#count")).ToHaveTextAsync("1,500 tracks");

        // The CSV downloads the whole library, one row per track.
        IDownload download;
        try
        {
            download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-csv"));
        }
        catch (TimeoutException)
        {
            await Screenshot(page, "library-export-failed.png");
            output.WriteLine("message: " + await page.Locator("#message").InnerTextAsync() + "\nerrors: " + string.Join("\n", errors));
            throw;
        }
        var csvPath = Path.Combine(ScreenshotFolder, "library-export.csv");
        await download.SaveAsAsync(csvPath);
        Assert.EndsWith(".csv", download.SuggestedFilename);
        var rows = LibraryCsv.Parse(await File.ReadAllTextAsync(csvPath));
        Assert.Equal(LibrarySize, rows.Count);
        Assert.Equal(features.GetProperty("ids").EnumerateArray().Select(i => "spotify:track:" + i.GetString()).Order(),
            rows.Select(r => r["Track URI"]).Order());

        // The JSON export streams from the real server too, one object per track.
        var json = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-json"));
        Assert.EndsWith(".json", json.SuggestedFilename);
        using (var exported = JsonDocument.Parse(await File.ReadAllTextAsync((await json.PathAsync())!)))
        {
            Assert.Equal(LibrarySize, exported.RootElement.GetProperty("tracks").GetArrayLength());
        }

        // A phone-sized screen: the table keeps its main columns, the plots stack.
        var phone = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });
        var phonePage = await phone.NewPageAsync();
        phonePage.PageError += (_, error) => errors.Add(error);
        await phonePage.GotoAsync($"{gateway.BaseUrl}/?sort=energy");
        await phonePage.ClickAsync("#use-demo");
        await Expect(phonePage.Locator("#page-info")).ToHaveTextAsync("1–50 of 1,500");
        await phonePage.WaitForFunctionAsync("() => window.Chart && Chart.getChart('key-wheel')");
        Assert.False(await phonePage.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"),
            "the page is wider than a phone's screen");
        await Screenshot(phonePage, "library-phone.png");

        Assert.True(errors.Count == 0, "the page logged errors (a CSP violation shows up here too):\n" + string.Join("\n", errors));
        Assert.True(hosts.SetEquals([new Uri(gateway.BaseUrl).Authority]), $"the page reached other hosts: {string.Join(", ", hosts)}");
    }

    private static int Count(JsonElement features, params string[] fields) =>
        Enumerable.Range(0, features.GetProperty("total").GetInt32())
            .Count(i => fields.All(f => features.GetProperty(f)[i].ValueKind == JsonValueKind.Number));

    private async Task Screenshot(IPage page, string name, bool fullPage = true)
    {
        var path = Path.Combine(ScreenshotFolder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        output.WriteLine($"screenshot: {path}");
    }
}
