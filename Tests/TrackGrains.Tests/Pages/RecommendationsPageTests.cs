using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Web;
using Microsoft.Playwright;
using TrackGrains.Testing;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.Tests.Library;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TrackGrains.Tests.Pages;

/// <summary>
/// One demo-mode gateway process for the picks tests: the demo listener's saved tracks synced, and
/// tracks outside that library enriched too, so "the whole catalogue" and "your library" are different
/// pools. Chromium is started once; each test opens its own browser context.
/// </summary>
public sealed class RecommendationsPageFixture : IAsyncLifetime
{
    public const int LibrarySize = 120;
    public const int PageSize = 50;
    private const int CatalogueOnlyTracks = 60;
    private const string AdminToken = "recommendations-page-admin-token-0123456789";
    private const string DemoToken = DemoPageServer.DemoToken;

    private readonly string _folder = Directory.CreateTempSubdirectory("trackgrains-picks-page-").FullName;
    private IPlaywright? _playwright;

    public GatewayServer Gateway { get; private set; } = null!;

    /// <summary>The demo listener's client, to ask the API what the page should show.</summary>
    public HttpClient Api { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The library's tracks by id, as GET /api/library lists them.</summary>
    public Dictionary<string, JsonElement> Library { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        Gateway = await GatewayServer.StartAsync(DemoPageServer.Settings(_folder, LibrarySize, AdminToken), _folder);
        Api = Gateway.Client(DemoToken, TimeSpan.FromSeconds(60));

        using (var sync = await Api.PostAsJsonAsync("/api/sync?wait=true", new { collectionType = "saved" }))
        {
            Assert.True(sync.IsSuccessStatusCode, $"the sync answered {(int)sync.StatusCode}: {await sync.Content.ReadAsStringAsync()}");
        }
        // Tracks nobody saved: in the catalogue, not in the library. A fixed seed keeps the pools, and so the
        // picks, the same from run to run.
        var random = new Random(12);
        var outsiders = Enumerable.Range(0, CatalogueOnlyTracks).Select(_ => TestIds.Track(random)).ToList();
        using (var batch = await Api.PostAsJsonAsync("/api/tracks/batch", new { trackIds = outsiders }))
        {
            Assert.True(batch.IsSuccessStatusCode, $"the batch answered {(int)batch.StatusCode}: {await batch.Content.ReadAsStringAsync()}");
        }

        var library = await Api.GetFromJsonAsync<JsonElement>("/api/library?limit=200");
        foreach (var track in library.GetProperty("tracks").EnumerateArray())
        {
            Library[track.GetProperty("id").GetString()!] = track;
        }
        Assert.Equal(LibrarySize, Library.Count);

        _playwright = await Playwright.CreateAsync();
        Browser = await BrowserTests.LaunchChromiumAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        Api?.Dispose();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; a temp folder left behind is harmless.
        }
    }

    public bool HasAudio(string id) => Library[id].GetProperty("audioFeatures").ValueKind == JsonValueKind.Object;

    public string Name(string id) => Library[id].GetProperty("name").GetString()!;

    /// <summary>What GET /api/recommendations answers for these parameters: the picks' ids, in order.</summary>
    public async Task<List<string>> PicksAsync(string query) =>
        (await PickRowsAsync(query)).Select(t => t.GetProperty("id").GetString()!).ToList();

    /// <summary>What GET /api/recommendations answers for these parameters: the picks' rows, in order.</summary>
    public async Task<List<JsonElement>> PickRowsAsync(string query)
    {
        using var response = await Api.GetAsync($"/api/recommendations?{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/recommendations?{query} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("tracks").EnumerateArray().Select(t => t.Clone()).ToList();
    }
}

/// <summary>
/// Picks on the library page, in Debian's Chromium against the real gateway process: "more like this" on a
/// row, the mix form, the export of the picks, the way back to the library, and the server's 400 shown.
/// Each test checks the table against what GET /api/recommendations answers for the same parameters.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class RecommendationsPageTests(RecommendationsPageFixture fixture, ITestOutputHelper output)
    : IClassFixture<RecommendationsPageFixture>, IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }

    private static readonly Regex FirstPage = new($"^1–{RecommendationsPageFixture.PageSize} of {RecommendationsPageFixture.LibrarySize}$");

    [Fact]
    public async Task More_like_this_on_a_row_shows_the_picks_for_that_seed_and_going_back_restores_the_sorted_library()
    {
        var (page, errors, hosts) = await OpenLibraryAsync();

        // A sorted library, so going back has a position to restore.
        await page.ClickAsync("#tracks th[data-sort=tempo] button");
        await Expect(page.Locator("#tracks th[data-sort=tempo]")).ToHaveAttributeAsync("aria-sort", "descending");
        await Expect(page).ToHaveURLAsync(new Regex("sort=tempo"));
        var library = await RowIdsAsync(page);
        var libraryUrl = page.Url;
        var seed = library.First(fixture.HasAudio);

        await page.Locator($"#tracks tbody tr[data-id='{seed}'] button.more-like").ClickAsync();

        var pickRows = await fixture.PickRowsAsync($"seed_tracks={seed}&limit=20&scope=all");
        var picks = pickRows.Select(t => t.GetProperty("id").GetString()!).ToList();
        Assert.Equal(20, picks.Count);
        Assert.DoesNotContain(seed, picks);
        await ExpectRowsAsync(page, picks, "the picks from the whole catalogue");
        await Expect(page.Locator("#picks-title")).ToHaveTextAsync($"More like {fixture.Name(seed)}");
        await Expect(page.Locator("#picks-title")).ToBeFocusedAsync();
        await Expect(page.Locator("#picks-count")).ToHaveTextAsync("20 picks");
        await Expect(page.Locator("#count")).ToHaveTextAsync("20 picks");
        await Expect(page.Locator("#picks-scope")).ToHaveValueAsync("all");
        // What shapes the library alone is off while picks are shown.
        await Expect(page.Locator("#search")).ToBeDisabledAsync();
        await Expect(page.Locator("#source")).ToBeDisabledAsync();
        await Expect(page.Locator("#tracks th[data-sort=tempo] button")).ToBeDisabledAsync();
        await Expect(page.Locator("#tracks th[data-sort=tempo]")).ToHaveAttributeAsync("aria-sort", "none");
        await Expect(page.Locator("#pager")).ToBeHiddenAsync();
        // The plots draw the picks, not the library under them.
        await ExpectPlotsOfPicksAsync(page, pickRows);
        await Screenshot(page, "picks-more-like-this.png");

        // The scope switch asks again, from the library only.
        await page.SelectOptionAsync("#picks-scope", "library");
        var fromLibraryRows = await fixture.PickRowsAsync($"seed_tracks={seed}&limit=20&scope=library");
        var fromLibrary = fromLibraryRows.Select(t => t.GetProperty("id").GetString()!).ToList();
        Assert.DoesNotContain(seed, fromLibrary);
        Assert.All(fromLibrary, id => Assert.True(fixture.Library.ContainsKey(id), $"{id} is not in the library"));
        Assert.NotEqual(picks, fromLibrary);
        await ExpectRowsAsync(page, fromLibrary, "the picks from the library");
        await ExpectPlotsOfPicksAsync(page, fromLibraryRows);
        await Expect(page).ToHaveURLAsync(new Regex("scope%3Dlibrary"));
        var picksUrl = page.Url;

        // Back: the same sorted page of the library, with its controls on again.
        await page.ClickAsync("#picks-back");
        await ExpectRowsAsync(page, library, "the library as it was before the picks");
        Assert.Equal(libraryUrl, page.Url);
        await Expect(page.Locator("#picks-banner")).ToBeHiddenAsync();
        await Expect(page.Locator("#library-title")).ToBeFocusedAsync();
        await Expect(page.Locator("#tracks th[data-sort=tempo]")).ToHaveAttributeAsync("aria-sort", "descending");
        await Expect(page.Locator("#tracks th[data-sort=tempo] button")).ToBeEnabledAsync();
        await Expect(page.Locator("#search")).ToBeEnabledAsync();
        await Expect(page.Locator("#pager")).ToBeVisibleAsync();
        await Expect(page.Locator("#page-info")).ToHaveTextAsync(FirstPage);
        await Expect(page.Locator("#count")).ToHaveTextAsync($"{RecommendationsPageFixture.LibrarySize} tracks");
        await ExpectPlotsOfLibraryAsync(page);

        // The browser's own Forward and Back move between the picks and the library too, and the plots with them.
        await page.GoForwardAsync();
        await ExpectRowsAsync(page, fromLibrary, "the picks again after Forward");
        await ExpectPlotsOfPicksAsync(page, fromLibraryRows);
        await page.GoBackAsync();
        await ExpectRowsAsync(page, library, "the library again after Back");
        await ExpectPlotsOfLibraryAsync(page);

        // The picks' address opened afresh (a bookmark, a shared link): the same picks, the seed named by the server.
        await page.GotoAsync(picksUrl);
        await ExpectRowsAsync(page, fromLibrary, "the picks opened from their address");
        await Expect(page.Locator("#picks-title")).ToHaveTextAsync($"More like {fixture.Name(seed)}");
        await ExpectPlotsOfPicksAsync(page, fromLibraryRows);

        AssertClean(errors, hosts);
    }

    [Fact]
    public async Task A_mix_of_two_seeds_and_a_target_shows_its_picks_and_the_export_buttons_download_them_with_its_parameters()
    {
        var (page, errors, hosts) = await OpenLibraryAsync();
        var seeds = (await RowIdsAsync(page)).Where(fixture.HasAudio).Take(2).ToList();
        Assert.Equal(2, seeds.Count);

        foreach (var seed in seeds)
        {
            await page.Locator($"#tracks tbody tr[data-id='{seed}'] input.mix-seed").CheckAsync();
        }
        await Expect(page.Locator("#mix")).ToHaveAttributeAsync("open", "");
        await Expect(page.Locator("#mix-seeds li")).ToHaveCountAsync(2);
        await Expect(page.Locator("#mix-note")).ToContainTextAsync("2 of 5 seeds");
        await page.FillAsync("#mix-energy", "0.8");
        await page.FillAsync("#mix-limit", "15");
        await page.SelectOptionAsync("#mix-scope", "all");
        await Screenshot(page, "picks-mix-form.png", fullPage: false);
        await page.ClickAsync("#mix-submit");

        var query = $"seed_tracks={seeds[0]},{seeds[1]}&target_energy=0.8&limit=15&scope=all";
        var pickRows = await fixture.PickRowsAsync(query);
        var picks = pickRows.Select(t => t.GetProperty("id").GetString()!).ToList();
        Assert.Equal(15, picks.Count);
        Assert.Empty(picks.Intersect(seeds));
        await ExpectRowsAsync(page, picks, "the mix's picks");
        await Expect(page.Locator("#picks-title")).ToHaveTextAsync($"Mix of {fixture.Name(seeds[0])}, {fixture.Name(seeds[1])}");
        await Expect(page.Locator("#picks-targets")).ToHaveTextAsync("· closest to energy 0.80");
        await Expect(page.Locator("#count")).ToHaveTextAsync("15 picks");
        await ExpectPlotsOfPicksAsync(page, pickRows);
        await Screenshot(page, "picks-mix.png");

        // The CSV button asks the export endpoint with the mix's own parameters, and downloads those picks.
        var exportUrls = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/recommendations/export", StringComparison.Ordinal))
            {
                exportUrls.Add(request.Url);
            }
        };
        var csv = await DownloadAsync(page, "#export-csv");
        var sent = HttpUtility.ParseQueryString(new Uri(exportUrls.Single()).Query);
        Assert.Equal("csv", sent["format"]);
        Assert.Equal($"{seeds[0]},{seeds[1]}", sent["seed_tracks"]);
        Assert.Equal("0.8", sent["target_energy"]);
        Assert.Equal("15", sent["limit"]);
        Assert.Equal("all", sent["scope"]);
        Assert.Matches(@"^trackgrains-recommendations-\d{4}-\d{2}-\d{2}\.csv$", csv.SuggestedFilename);
        var rows = LibraryCsv.Parse(await File.ReadAllTextAsync((await csv.PathAsync())!));
        Assert.Equal(picks.Select(id => "spotify:track:" + id), rows.Select(r => r["Track URI"]));

        var json = await DownloadAsync(page, "#export-json");
        Assert.Matches(@"^trackgrains-recommendations-\d{4}-\d{2}-\d{2}\.json$", json.SuggestedFilename);
        using (var exported = JsonDocument.Parse(await File.ReadAllTextAsync((await json.PathAsync())!)))
        {
            Assert.Equal(picks, exported.RootElement.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
        }
        Assert.Equal(2, exportUrls.Count);
        Assert.Equal("json", HttpUtility.ParseQueryString(new Uri(exportUrls[1]).Query)["format"]);

        AssertClean(errors, hosts);
    }

    [Fact]
    public async Task A_sixth_seed_cannot_be_added_to_the_mix()
    {
        var (page, errors, hosts) = await OpenLibraryAsync();
        var candidates = (await RowIdsAsync(page)).Where(fixture.HasAudio).Take(6).ToList();
        Assert.Equal(6, candidates.Count);
        ILocator Box(string id) => page.Locator($"#tracks tbody tr[data-id='{id}'] input.mix-seed");
        foreach (var id in candidates.Take(5))
        {
            await Box(id).CheckAsync();
        }
        await Expect(page.Locator("#mix-seeds li")).ToHaveCountAsync(5);
        await Expect(page.Locator("#mix-note")).ToContainTextAsync("5 of 5 seeds chosen: that is the most a mix takes");

        var sixth = Box(candidates[5]);
        await Expect(sixth).ToBeDisabledAsync();
        await Expect(sixth).Not.ToBeCheckedAsync();
        // A click on it anyway (as a pointer that ignores the disabled look would) changes nothing.
        await sixth.ClickAsync(new LocatorClickOptions { Force = true });
        await Expect(sixth).Not.ToBeCheckedAsync();
        await Expect(page.Locator("#mix-seeds li")).ToHaveCountAsync(5);
        await Screenshot(page, "picks-mix-full.png", fullPage: false);

        // The seeds stay for the tab: after a reload the sixth is still refused.
        await page.ReloadAsync();
        await Expect(page.Locator("#mix-seeds li")).ToHaveCountAsync(5);
        await Expect(Box(candidates[5])).ToBeDisabledAsync();

        // A track without audio features cannot seed anything.
        // (The demo library is generated from a fixed seed; its first page has such tracks.)
        var silent = (await RowIdsAsync(page)).First(id => !fixture.HasAudio(id));
        await Expect(page.Locator($"#tracks tbody tr[data-id='{silent}'] button.more-like")).ToBeDisabledAsync();
        await Expect(page.Locator($"#tracks tbody tr[data-id='{silent}'] input.mix-seed")).ToBeDisabledAsync();

        // Removing one seed makes room again.
        await page.Locator("#mix").Locator("summary").ClickAsync();
        await page.Locator("#mix-seeds li button").First.ClickAsync();
        await Expect(page.Locator("#mix-seeds li")).ToHaveCountAsync(4);
        await Expect(Box(candidates[5])).ToBeEnabledAsync();
        await Expect(Box(candidates[0])).Not.ToBeCheckedAsync();
        await Box(candidates[5]).CheckAsync();
        await Expect(page.Locator("#mix-seeds li")).ToHaveCountAsync(5);
        await Expect(page.Locator("#mix-seeds li").Last).ToHaveTextAsync(new Regex($"^{Regex.Escape(fixture.Name(candidates[5]))}"));

        AssertClean(errors, hosts);
    }

    [Fact]
    public async Task A_bad_target_is_answered_400_by_the_server_and_its_detail_shown_in_the_message_area()
    {
        var (page, errors, hosts) = await OpenLibraryAsync();
        var seed = (await RowIdsAsync(page)).First(fixture.HasAudio);
        // The form's number fields refuse 1.5 themselves; a link or an edited address reaches the server with it.
        var query = $"seed_tracks={seed}&target_energy=1.5";
        using var response = await fixture.Api.GetAsync($"/api/recommendations?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains("target_energy", detail);

        await page.GotoAsync($"{fixture.Gateway.BaseUrl}/?recs={Uri.EscapeDataString(query)}");

        await Expect(page.Locator("#message")).ToHaveTextAsync($"The picks could not be loaded: {detail}");
        await Expect(page.Locator("#message")).ToHaveAttributeAsync("role", "alert");
        await Expect(page.Locator("#picks-banner")).ToBeVisibleAsync();
        await Expect(page.Locator("#tracks tbody tr")).ToHaveCountAsync(0);
        await Expect(page.Locator("#export-csv")).ToBeDisabledAsync();
        // No picks, so nothing is drawn: not the library under a caption of picks, nor the library's plots.
        await Expect(page.Locator("#charts")).ToBeHiddenAsync();
        await Expect(page.Locator("#charts-scope")).ToBeEmptyAsync();
        await Screenshot(page, "picks-bad-target.png", fullPage: false);

        // Opened from an address, Back to the library still leads to the library.
        await page.ClickAsync("#picks-back");
        await Expect(page.Locator("#page-info")).ToHaveTextAsync(FirstPage);
        await Expect(page.Locator("#message")).ToBeHiddenAsync();
        Assert.Equal($"{fixture.Gateway.BaseUrl}/", page.Url);
        await ExpectPlotsOfLibraryAsync(page);

        // The browser reports the 400 it was answered; nothing else may go wrong.
        errors.RemoveAll(e => e.Contains("status of 400", StringComparison.Ordinal));
        AssertClean(errors, hosts);
    }

    /// <summary>A fresh browser context signed in as the demo listener, on the first page of the library.</summary>
    private async Task<(IPage Page, List<string> Errors, HashSet<string> Hosts)> OpenLibraryAsync()
    {
        Assert.True(File.Exists(BrowserTests.ChromiumPath), $"This test drives Debian's Chromium at {BrowserTests.ChromiumPath}: apt-get install -y chromium.");
        Directory.CreateDirectory(LibraryPageTests.ScreenshotFolder);
        SetDefaultExpectTimeout(30_000);
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
            AcceptDownloads = true,
        });
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        var (errors, hosts) = BrowserTests.Watch(page);
        await page.GotoAsync($"{fixture.Gateway.BaseUrl}/");
        await page.ClickAsync("#use-demo");
        await Expect(page.Locator("#page-info")).ToHaveTextAsync(FirstPage);
        return (page, errors, hosts);
    }

    private static Task<string[]> RowIdsAsync(IPage page) =>
        page.Locator("#tracks tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");

    /// <summary>Waits until the table shows exactly these tracks in this order; on a timeout, shows the difference.</summary>
    private static async Task ExpectRowsAsync(IPage page, IReadOnlyList<string> expected, string what)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "ids => document.querySelector('#tracks').getAttribute('aria-busy') === 'false' && "
                + "[...document.querySelectorAll('#tracks tbody tr')].map(r => r.dataset.id).join(',') === ids",
                string.Join(',', expected), new PageWaitForFunctionOptions { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            var message = await page.Locator("#message").IsVisibleAsync() ? await page.Locator("#message").InnerTextAsync() : "(none)";
            Assert.Fail($"the table does not show {what}.\nexpected: {string.Join(',', expected)}\nshown:    {string.Join(',', await RowIdsAsync(page))}\nmessage: {message}");
        }
    }

    /// <summary>
    /// The plots draw these picks: the caption counts them (and those without audio values), and the scatter
    /// (valence against energy, the page's default axes) has one point per pick with both values.
    /// </summary>
    private static async Task ExpectPlotsOfPicksAsync(IPage page, IReadOnlyList<JsonElement> picks)
    {
        var silent = picks.Count(p => p.GetProperty("audioFeatures").ValueKind != JsonValueKind.Object);
        await Expect(page.Locator("#charts-scope")).ToHaveTextAsync($"· {Count(picks.Count, "pick")}{(silent > 0 ? $" ({silent} without audio values)" : "")}");
        await ExpectScatterAsync(page, picks, "pick");
    }

    /// <summary>The plots draw the whole library again: its caption, and a scatter of its tracks.</summary>
    private async Task ExpectPlotsOfLibraryAsync(IPage page)
    {
        await Expect(page.Locator("#charts-scope")).ToHaveTextAsync($"· all {RecommendationsPageFixture.LibrarySize} tracks");
        await ExpectScatterAsync(page, [.. fixture.Library.Values], "track");
    }

    private static async Task ExpectScatterAsync(IPage page, IReadOnlyList<JsonElement> rows, string noun)
    {
        static bool Plotted(JsonElement row) => row.GetProperty("audioFeatures") is { ValueKind: JsonValueKind.Object } audio
            && audio.GetProperty("valence").ValueKind == JsonValueKind.Number && audio.GetProperty("energy").ValueKind == JsonValueKind.Number;
        var both = rows.Count(Plotted);
        var missing = rows.Count - both;
        await Expect(page.Locator("#charts")).ToBeVisibleAsync();
        await Expect(page.Locator("#scatter-note")).ToHaveTextAsync($"{Count(both, noun)}{(missing > 0 ? $" ({missing} without both values)" : "")}");
        await page.WaitForFunctionAsync($"() => window.Chart && Chart.getChart('scatter') && Chart.getChart('scatter').data.datasets[0].data.length === {both}");
    }

    private static string Count(int count, string noun) => $"{count.ToString("N0", CultureInfo.InvariantCulture)} {noun}{(count == 1 ? "" : "s")}";

    private async Task<IDownload> DownloadAsync(IPage page, string button)
    {
        try
        {
            return await page.RunAndWaitForDownloadAsync(() => page.ClickAsync(button));
        }
        catch (TimeoutException)
        {
            output.WriteLine("message: " + await page.Locator("#message").InnerTextAsync());
            throw;
        }
    }

    private void AssertClean(List<string> errors, HashSet<string> hosts)
    {
        Assert.True(errors.Count == 0, "the page logged errors (a CSP violation shows up here too):\n" + string.Join("\n", errors));
        Assert.True(hosts.SetEquals([new Uri(fixture.Gateway.BaseUrl).Authority]), $"the page reached other hosts: {string.Join(", ", hosts)}");
    }

    private async Task Screenshot(IPage page, string name, bool fullPage = true)
    {
        var path = Path.Combine(LibraryPageTests.ScreenshotFolder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        output.WriteLine($"screenshot: {path}");
    }
}
