using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.Tests.Recommendations;
using TrackGrains.Testing;
using Xunit.Abstractions;

namespace TrackGrains.Tests.Cluster;

/// <summary>
/// The recommendation index is one per gateway process. Here the tracks are enriched by grains in a separate
/// Silo process, so a gateway in client mode writes nothing itself: everything its index learns after loading
/// comes from looking at the database for other writers' rows (Recommendations:RefreshInterval).
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class RecommendationClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AdminToken = "recs-cluster-admin-token-0123456789";
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private ProcessStage _stage = null!;
    private TestDatabase? _postgres;
    private readonly List<IAsyncDisposable> _processes = [];

    public async Task InitializeAsync()
    {
        _stage = await ProcessStage.StartAsync("trackgrains-recs-cluster-", new EmulatorOptions
        {
            Seed = 23,
            // Some songs unknown to SoundCharts: they never join the pool, on any gateway.
            SoundCharts = new SoundChartsSettings { NotFoundRate = 0.05 },
            SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "recs-cluster-app", ApiKey = "recs-cluster-key-0001", Quota = 100_000, RateLimit = 100_000 }],
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        if (_postgres is not null)
        {
            await (await PostgresServer.Shared).DropDatabaseAsync(_postgres.PostgresConnectionString!);
        }
        await _stage.DisposeAsync();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Tracks_a_silo_enriches_join_the_picks_of_gateways_that_wrote_none_of_them(string provider)
    {
        var database = provider == "postgres"
            ? _postgres = TestDatabase.Postgres(await (await PostgresServer.Shared).CreateDatabaseAsync())
            : TestDatabase.Sqlite(_stage.DatabasePath);
        var settings = _stage.Settings(AdminToken).With(database.Settings(_stage.Folder)).With(new Dictionary<string, string?>
        {
            ["Cluster:Clustering"] = provider,
            ["Recommendations:RefreshInterval"] = RefreshInterval.ToString(),
        });
        Start(DotnetProcess.Start("Silo.dll", [], settings.With(new Dictionary<string, string?>
        {
            ["Cluster:GatewayPort"] = FreePort.Next().ToString(),
        }), _stage.Folder));
        var clientSettings = _stage.Settings(AdminToken, _ => false).With(database.Settings(_stage.Folder)).With(new Dictionary<string, string?>
        {
            ["Cluster:Clustering"] = provider,
            ["Cluster:Role"] = "client",
            ["Recommendations:RefreshInterval"] = RefreshInterval.ToString(),
        });
        var first = Start(await GatewayServer.StartAsync(clientSettings, _stage.Folder));
        using var admin = first.Client(AdminToken, TimeSpan.FromSeconds(60));

        // The first answer loads the index from what the database holds now; the catalogue grows after it.
        var batches = TestIds.Tracks(80).Chunk(40).ToArray();
        await EnrichAsync(admin, batches[0]);
        var seed = (await PoolTrack.ReadAsync(database)).First(t => batches[0].Contains(t.Id));
        var url = $"/v1/recommendations?seed_tracks={seed.Id}&limit=100";
        var firstPicks = await WaitForPicksAsync(admin, url, database, seed);

        await EnrichAsync(admin, batches[1]);
        var enriched = Stopwatch.StartNew();
        var picks = await WaitForPicksAsync(admin, url, database, seed);
        output.WriteLine($"{provider}: the second batch was in the client gateway's picks {enriched.Elapsed.TotalSeconds:F1} s after it was enriched");
        // A few looks, not the 30 s look-back or a reload: the refresher runs on its configured interval.
        Assert.True(enriched.Elapsed < TimeSpan.FromSeconds(15), $"picked up only after {enriched.Elapsed}");
        Assert.Contains(picks, id => batches[1].Contains(id));
        Assert.True(picks.Count > firstPicks.Count, $"{picks.Count} picks after the second batch, {firstPicks.Count} before it");

        // A gateway started later loads the whole catalogue and gives the same picks, in the same order.
        var second = Start(await GatewayServer.StartAsync(clientSettings, _stage.Folder));
        using var secondAdmin = second.Client(AdminToken, TimeSpan.FromSeconds(60));
        Assert.Equal(picks, Ids(await GetAsync(secondAdmin, url)));

        // Recommending spent nothing: each track was asked of SoundCharts once, by the silo.
        var counters = _stage.Emulator.State.SoundCharts.Counters;
        Assert.All(batches.SelectMany(b => b), id => Assert.Equal(1, counters.CallsForTrack(id)));
    }

    private T Start<T>(T process) where T : IAsyncDisposable
    {
        _processes.Add(process);
        return process;
    }

    private static async Task EnrichAsync(HttpClient admin, IReadOnlyList<string> ids)
    {
        using var response = await admin.PostAsJsonAsync("/api/tracks/batch", new { trackIds = ids });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.All(body.GetProperty("tracks").EnumerateArray(), t =>
            Assert.Contains(t.GetProperty("enrichment").GetProperty("status").GetString(), new[] { "enriched", "notFound" }));
    }

    private static string Recording(PoolTrack track) => track.Isrc ?? track.Id;

    /// <summary>
    /// Asks until the picks are what they must be once the index holds the database's pool: one per recording
    /// but the seed's, all of them (under the limit), from a pool of all tracks but the seed. Returns them in their order.
    /// </summary>
    private static async Task<List<string>> WaitForPicksAsync(HttpClient client, string url, TestDatabase database, PoolTrack seed)
    {
        var byId = (await PoolTrack.ReadAsync(database)).ToDictionary(t => t.Id);
        var others = byId.Values.Where(t => t.Id != seed.Id).ToList();
        var expected = others.Where(t => t.Isrc is null || t.Isrc != seed.Isrc).Select(Recording).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.Count < 100, $"{expected.Count} recordings: the test wants all of them under the limit of 100");
        List<string> picks = [];
        var pool = 0;
        await TrackPolling.WaitUntilAsync(async () =>
        {
            var body = await GetAsync(client, url);
            picks = Ids(body);
            pool = body.GetProperty("seeds")[0].GetProperty("initialPoolSize").GetInt32();
            return pool == others.Count
                   && picks.Select(id => Recording(byId[id])).Order(StringComparer.Ordinal).SequenceEqual(expected);
        }, TimeSpan.FromSeconds(30), () => $"initialPoolSize {pool} of {others.Count}; {picks.Count} picks for {expected.Count} recordings");
        return picks;
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body;
    }

    private static List<string> Ids(JsonElement body) =>
        body.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();
}
