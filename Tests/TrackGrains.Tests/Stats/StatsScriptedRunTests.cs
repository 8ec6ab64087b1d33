using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Stats;

/// <summary>One scripted run on a server of its own, so every number in /api/stats is known exactly.</summary>
public abstract class StatsScriptedRunTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : ScriptedRunServer
{
    [Fact]
    public async Task Stats_equal_what_happened_including_counts_not_yet_flushed()
    {
        const int fresh = 4, gone = 3, notFound = 1, cachedReads = 6, refused = 2;
        var freshIds = TestIds.Tracks(fresh);
        var goneIds = TestIds.Tracks(gone);
        var notFoundIds = TestIds.Tracks(notFound);
        goneIds.ForEach(id => server.Emulator.State.SoundCharts.SetAvailability(id, SongAvailability.Gone));
        notFoundIds.ForEach(id => server.Emulator.State.SoundCharts.SetAvailability(id, SongAvailability.NotFound));

        foreach (var id in freshIds)
        {
            await AssertStatus(HttpStatusCode.OK, server.User.GetAsync($"/api/tracks/{id}"));
        }
        foreach (var id in goneIds)
        {
            using var _ = await server.User.GetAsync($"/api/tracks/{id}");
        }
        foreach (var id in notFoundIds)
        {
            await AssertStatus(HttpStatusCode.NotFound, server.User.GetAsync($"/api/tracks/{id}"));
        }
        for (var i = 0; i < cachedReads; i++)
        {
            await AssertStatus(HttpStatusCode.OK, server.User.GetAsync($"/api/tracks/{freshIds[i % fresh]}"));
        }
        // Refused requests are requests too.
        await AssertStatus(HttpStatusCode.Unauthorized, server.Anonymous.GetAsync($"/api/tracks/{freshIds[0]}"));
        await AssertStatus(HttpStatusCode.BadRequest, server.User.GetAsync("/api/tracks/not-an-id"));

        var stats = await server.Admin.GetFromJsonAsync<JsonElement>("/api/stats");

        var calls = fresh + gone + notFound;
        var totals = stats.GetProperty("totals");
        Assert.Equal(fresh + gone + notFound + cachedReads + refused, totals.GetProperty("totalRequests").GetInt64());
        Assert.Equal(cachedReads, totals.GetProperty("cacheHits").GetInt64());
        Assert.Equal(calls, totals.GetProperty("soundchartsCalls").GetInt64());
        Assert.Equal(calls, server.Emulator.State.SoundCharts.Counters.SongCalls);
        // A 404 is SoundCharts' normal "not known yet" answer; a 410 brought nothing usable.
        Assert.Equal(gone, totals.GetProperty("failedCalls").GetInt64());
        Assert.True(totals.GetProperty("avgResponseTimeMs").GetDouble() > 0);
        Assert.Equal((double)cachedReads / (cachedReads + calls), stats.GetProperty("cacheHitRate").GetDouble(), 12);

        // The daily rows add up to the totals (a run across UTC midnight has two rows).
        var daily = stats.GetProperty("daily").EnumerateArray().ToList();
        Assert.NotEmpty(daily);
        foreach (var field in new[] { "totalRequests", "cacheHits", "soundchartsCalls", "failedCalls" })
        {
            Assert.Equal(totals.GetProperty(field).GetInt64(), daily.Sum(d => d.GetProperty(field).GetInt64()));
        }

        Assert.Equal(fresh, stats.GetProperty("totalTracks").GetInt64());
        Assert.Equal(fresh, stats.GetProperty("enrichedTracks").GetInt64());
        var failed = stats.GetProperty("failedRequests");
        Assert.Equal(gone, failed.GetProperty("total").GetInt64());
        Assert.Equal(gone, failed.GetProperty("byStatus").GetProperty("failed").GetInt64());
        Assert.Equal(0, failed.GetProperty("retryQueue").GetInt64());

        var key = Assert.Single(stats.GetProperty("apiKeysStatus").EnumerateArray());
        Assert.True(key.GetProperty("isActive").GetBoolean());
        Assert.Equal(server.Emulator.State.SoundCharts.GetKey("app-1")!.QuotaRemaining, key.GetProperty("quotaRemaining").GetInt64());
        Assert.Empty(stats.GetProperty("warnings").EnumerateArray());

        // The stats request itself is counted when its answer starts: it shows up in the next one.
        var again = await server.Admin.GetFromJsonAsync<JsonElement>("/api/stats");
        Assert.Equal(fresh + gone + notFound + cachedReads + refused + 1, again.GetProperty("totals").GetProperty("totalRequests").GetInt64());
        Assert.Equal(cachedReads, again.GetProperty("totals").GetProperty("cacheHits").GetInt64());
    }

    private static async Task AssertStatus(HttpStatusCode expected, Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.Equal(expected, response.StatusCode);
    }
}

public sealed class StatsScriptedRunTestsOnSqlite(ScriptedRunServer server) : StatsScriptedRunTests<ScriptedRunServer>(server);

public sealed class StatsScriptedRunTestsOnPostgres(ScriptedRunServerOnPostgres server) : StatsScriptedRunTests<ScriptedRunServerOnPostgres>(server);
