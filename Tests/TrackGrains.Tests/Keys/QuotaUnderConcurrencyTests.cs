using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Keys;

/// <summary>Three small keys with short rate-limit windows; 5 % of songs unknown to SoundCharts.</summary>
public class SmallKeysServer() : GatewayFixture(() => new EmulatorOptions
{
    SoundCharts = new SoundChartsSettings { NotFoundRate = 0.05 },
    SoundChartsKeys =
    [
        new SoundChartsKeyOptions { AppId = "small-1", ApiKey = "small-secret-1111", Quota = 400, RateLimit = 120, RateLimitWindow = TimeSpan.FromSeconds(1) },
        new SoundChartsKeyOptions { AppId = "small-2", ApiKey = "small-secret-2222", Quota = 400, RateLimit = 120, RateLimitWindow = TimeSpan.FromSeconds(1) },
        new SoundChartsKeyOptions { AppId = "small-3", ApiKey = "small-secret-3333", Quota = 400, RateLimit = 120, RateLimitWindow = TimeSpan.FromSeconds(1) },
    ],
}, new Dictionary<string, string?>
{
    // No faults here: a client timeout on a busy CI machine would show up as a second call for a track,
    // and so would the (correct) re-check of a 404 if it fell inside the test.
    ["SoundCharts:RequestTimeout"] = "00:00:15",
    ["Retry:NotFoundRecheck"] = "01:00:00",
});

public abstract class QuotaUnderConcurrencyTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : SmallKeysServer
{
    [Fact]
    public async Task Sixty_four_way_concurrency_over_1000_tracks_never_overspends_and_never_hits_a_rate_limit()
    {
        var ids = TestIds.Tracks(1000);
        var statuses = new ConcurrentDictionary<string, HttpStatusCode>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (id, ct) =>
        {
            using var response = await server.User.GetAsync($"/api/tracks/{id}", ct);
            statuses[id] = response.StatusCode;
        });
        Assert.All(statuses.Values, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.ServiceUnavailable }));

        // Tracks that waited longer than the permit wait are pending; the wait queue resumes them by itself. Watched
        // from the emulator's side only: a read of a pending track through our API would make its attempt itself.
        var counters = server.Emulator.State.SoundCharts.Counters;
        await TrackPolling.WaitUntilAsync(() => Task.FromResult(ids.All(id => counters.CallsForTrack(id) >= 1)), TimeSpan.FromSeconds(90),
            () => $"{ids.Count(id => counters.CallsForTrack(id) == 0)} tracks never called; pending rows: see failed_requests");
        var final = await TrackPolling.PeekStatusesAsync(server.User, ids);
        Assert.All(final.Values, s => Assert.Contains(s, new[] { "enriched", "notFound" }));

        Assert.Equal(0, counters.RateLimited);
        Assert.Equal(0, counters.QuotaExceeded);
        foreach (var key in new[] { "small-1", "small-2", "small-3" })
        {
            Assert.Equal(0, counters.CallsAfterQuotaExhausted(key));
            Assert.Equal(0, counters.CallsAfterRateLimited(key));
        }
        var repeated = ids.Where(id => counters.CallsForTrack(id) != 1).ToList();
        Assert.True(repeated.Count == 0, $"{repeated.Count} tracks were called more than once:\n" + string.Join("\n",
            server.Logs.Lines.Where(l => repeated.Take(3).Any(id => l.Contains(id, StringComparison.Ordinal))).Take(20)));
        Assert.Equal(1000, counters.Ok + counters.NotFound);
    }
}

/// <summary>Keys whose quota together covers 100 calls.</summary>
public class ScarceQuotaServer() : GatewayFixture(() => new EmulatorOptions
{
    SoundChartsKeys =
    [
        new SoundChartsKeyOptions { AppId = "scarce-1", ApiKey = "scarce-secret-1111", Quota = 30 },
        new SoundChartsKeyOptions { AppId = "scarce-2", ApiKey = "scarce-secret-2222", Quota = 30 },
        new SoundChartsKeyOptions { AppId = "scarce-3", ApiKey = "scarce-secret-3333", Quota = 40 },
    ],
}, new Dictionary<string, string?>
{
    // On a loaded machine a 2 s client timeout fires on good calls; a timed-out call counts as spent (it may have
    // been billed), which would leave fewer than the 100 answers this test counts.
    ["SoundCharts:RequestTimeout"] = "00:00:15",
});

public abstract class QuotaExhaustionTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : ScarceQuotaServer
{
    [Fact]
    public async Task When_all_quota_is_gone_requests_wait_clearly_and_a_new_key_resumes_them()
    {
        var ids = TestIds.Tracks(150);
        var responses = new ConcurrentDictionary<string, (HttpStatusCode Status, string Body)>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (id, ct) =>
        {
            using var response = await server.User.GetAsync($"/api/tracks/{id}", ct);
            responses[id] = (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        });

        var counters = server.Emulator.State.SoundCharts.Counters;
        Assert.Equal(100, responses.Values.Count(r => r.Status == HttpStatusCode.OK));
        var waiting = responses.Where(r => r.Value.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.Equal(50, waiting.Count);
        Assert.All(waiting, w => Assert.Contains("no SoundCharts key", w.Value.Body, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(100, counters.SongCalls);
        Assert.Equal(0, counters.QuotaExceeded);
        foreach (var key in new[] { "scarce-1", "scarce-2", "scarce-3" })
        {
            Assert.Equal(0, counters.CallsAfterQuotaExhausted(key));
        }

        // A batch now says pending for new ids, without calling upstream.
        var fresh = TestIds.Tracks(5);
        using var batch = await server.User.PostAsJsonAsync("/api/tracks/batch", new { trackIds = fresh });
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        var batchBody = await batch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.All(batchBody.GetProperty("tracks").EnumerateArray(),
            t => Assert.Equal("pending", t.GetProperty("enrichment").GetProperty("status").GetString()));
        Assert.Equal(5, batchBody.GetProperty("failed").GetArrayLength());
        Assert.Equal(100, counters.SongCalls);

        // An operator adds a key: every waiting track resumes without any further call of ours.
        server.Emulator.State.SoundCharts.AddOrReplaceKey(new SoundChartsKeyOptions { AppId = "fresh", ApiKey = "fresh-secret-7777", Quota = 1000 });
        using var add = await server.Admin.PostAsync("/api/keys/add",
            new StringContent("""{"appId":"fresh","apiKey":"fresh-secret-7777"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, add.StatusCode);

        var resumed = waiting.Select(w => w.Key).Concat(fresh).ToList();
        await TrackPolling.WaitUntilAsync(() => resumed.All(id => counters.CallsForTrack(id) == 1), TimeSpan.FromSeconds(30));
        var final = await TrackPolling.PeekStatusesAsync(server.User, resumed);
        Assert.All(final.Values, s => Assert.Equal("enriched", s));
    }
}

public sealed class QuotaUnderConcurrencyTestsOnSqlite(SmallKeysServer server) : QuotaUnderConcurrencyTests<SmallKeysServer>(server);

public sealed class QuotaUnderConcurrencyTestsOnPostgres(SmallKeysServerOnPostgres server) : QuotaUnderConcurrencyTests<SmallKeysServerOnPostgres>(server);

public sealed class QuotaExhaustionTestsOnSqlite(ScarceQuotaServer server) : QuotaExhaustionTests<ScarceQuotaServer>(server);

public sealed class QuotaExhaustionTestsOnPostgres(ScarceQuotaServerOnPostgres server) : QuotaExhaustionTests<ScarceQuotaServerOnPostgres>(server);

public sealed class SmallKeysServerOnPostgres : SmallKeysServer
{
    public override bool OnPostgres => true;
}

public sealed class ScarceQuotaServerOnPostgres : ScarceQuotaServer
{
    public override bool OnPostgres => true;
}
