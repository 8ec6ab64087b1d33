using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Keys;

/// <summary>One key with 5 calls of quota, re-checked every 2 s once spent.</summary>
public sealed class RenewingKeyServer() : GatewayFixture(() => new EmulatorOptions
{
    SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "renewing", ApiKey = "renewing-secret-5555", Quota = 5, RateLimit = 10_000 }],
}, new Dictionary<string, string?>
{
    ["SoundCharts:QuotaRecheckInterval"] = "00:00:02",
})
{
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(2);
}

public sealed class QuotaRenewalTests(RenewingKeyServer server) : IClassFixture<RenewingKeyServer>
{
    [Fact]
    public async Task A_spent_key_renewed_upstream_comes_back_by_itself_and_the_waiting_tracks_are_fetched()
    {
        var counters = server.Emulator.State.SoundCharts.Counters;
        var ids = TestIds.Tracks(8);
        var served = new List<string>();
        var waiting = new List<string>();
        foreach (var id in ids)
        {
            using var response = await server.User.GetAsync($"/api/tracks/{id}");
            (response.StatusCode == HttpStatusCode.OK ? served : waiting).Add(id);
        }
        Assert.Equal(5, served.Count);
        Assert.Equal(3, waiting.Count);

        var spent = await KeyAsync("renewing");
        Assert.False(spent.GetProperty("isActive").GetBoolean());
        Assert.Contains("quota", spent.GetProperty("deactivationReason").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(JsonValueKind.String, spent.GetProperty("nextQuotaCheckAt").ValueKind);

        // While the quota is spent, re-checks go to the free usage endpoint: no song call, no quota 429.
        var usageBefore = counters.UsageCalls;
        await TrackPolling.WaitUntilAsync(() => counters.UsageCalls >= usageBefore + 1, TimeSpan.FromSeconds(15));
        Assert.Equal(5, counters.SongCalls);
        Assert.Equal(0, counters.QuotaExceeded);

        // SoundCharts renews the plan (a new month), told through the emulator's own HTTP control API.
        using var control = new HttpClient { BaseAddress = new Uri(server.Emulator.BaseUrl) };
        using (var renew = await control.PostAsJsonAsync("/_emulator/soundcharts/keys/renewing/quota", new { remaining = 100 }))
        {
            Assert.Equal(HttpStatusCode.OK, renew.StatusCode);
        }
        var renewedAt = Stopwatch.StartNew();

        // Watched from the emulator only: nothing of ours touches the waiting tracks, so only the re-check and the
        // wait queue it wakes can have fetched them.
        await TrackPolling.WaitForUpstreamCallsAsync(counters, waiting, 1, TimeSpan.FromSeconds(20));
        var resumedAfter = renewedAt.Elapsed;
        // One interval until the next re-check at most, plus the reminder's own lateness and the sweep.
        Assert.True(resumedAfter < RenewingKeyServer.RecheckInterval + TimeSpan.FromSeconds(3), $"resumed {resumedAfter.TotalSeconds:0.0} s after the renewal");

        Assert.True((await KeyAsync("renewing")).GetProperty("isActive").GetBoolean());
        Assert.Equal(0, counters.QuotaExceeded);
        Assert.Equal(0, counters.CallsAfterQuotaExhausted("renewing"));
        var statuses = await TrackPolling.PeekStatusesAsync(server.User, waiting);
        Assert.All(statuses.Values, s => Assert.Equal("enriched", s));
        Assert.Equal(8, counters.SongCalls);
    }

    private async Task<JsonElement> KeyAsync(string appId)
    {
        var keys = await server.Admin.GetFromJsonAsync<JsonElement>("/api/keys/list");
        return keys.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("appId").GetString() == appId);
    }
}

/// <summary>No configured key: every key comes and goes through the admin API.</summary>
public sealed class NoKeyServer() : GatewayFixture(() => new EmulatorOptions(), new Dictionary<string, string?>
{
    ["SoundCharts:MaxPermitWait"] = "00:00:00.500",
});

public sealed class KeyAdministrationTests(NoKeyServer server) : IClassFixture<NoKeyServer>
{
    private const string AppId = "operator-key";
    private const string Secret = "operator-secret-8888";

    [Fact]
    public async Task Re_adding_checks_an_inactive_key_and_reactivates_it_and_delete_removes_it_for_good()
    {
        var upstream = server.Emulator.State.SoundCharts;
        var key = upstream.AddOrReplaceKey(new SoundChartsKeyOptions { AppId = AppId, ApiKey = Secret, Quota = 0 });

        // A spent key is registered, and the answer says it cannot serve yet.
        var added = await AddAsync(HttpStatusCode.OK);
        var keyId = added.GetProperty("keyId").GetString()!;
        Assert.False(added.GetProperty("isActive").GetBoolean());
        Assert.Contains("quota", added.GetProperty("deactivationReason").GetString()!, StringComparison.OrdinalIgnoreCase);

        // Re-added while still spent: checked again (200), still inactive, and no song call was spent finding out.
        Assert.False((await AddAsync(HttpStatusCode.OK)).GetProperty("isActive").GetBoolean());
        Assert.Equal(0, upstream.Counters.SongCalls);

        key.SetQuotaRemaining(10);
        var reactivated = await AddAsync(HttpStatusCode.OK);
        Assert.Equal(keyId, reactivated.GetProperty("keyId").GetString());
        Assert.True(reactivated.GetProperty("isActive").GetBoolean());

        // Known and active: 409, nothing changes.
        await ProblemAssert.IsProblemAsync(await PostAddAsync(), HttpStatusCode.Conflict, keyId);

        var track = TestIds.Track();
        using (var served = await server.User.GetAsync($"/api/tracks/{track}"))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }
        Assert.Equal(1, upstream.Counters.CallsForKey(AppId));

        using (var delete = await server.Admin.DeleteAsync($"/api/keys/{keyId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }
        var list = await server.Admin.GetFromJsonAsync<JsonElement>("/api/keys/list");
        Assert.DoesNotContain(list.GetProperty("keys").EnumerateArray(), k => k.GetProperty("id").GetString() == keyId);

        // Never called again: a new track finds no key, and waits for one.
        var unservedId = TestIds.Track();
        using (var unserved = await server.User.GetAsync($"/api/tracks/{unservedId}"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unserved.StatusCode);
        }
        Assert.Equal(1, upstream.Counters.CallsForKey(AppId));

        // Erased: the grain's stored payload and the read-model row are gone.
        Assert.Equal(0, await DatabaseProbe.CountAsync(server.Database,
            "SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = 'apikey' AND GrainIdExtensionString = @id AND PayloadBinary IS NOT NULL",
            ("@id", keyId)));
        Assert.Equal(0, await DatabaseProbe.CountAsync(server.Database, "SELECT COUNT(*) FROM api_keys WHERE key_id = @id", ("@id", keyId)));

        await ProblemAssert.IsProblemAsync(await server.Admin.DeleteAsync($"/api/keys/{keyId}"), HttpStatusCode.NotFound, keyId);
        await ProblemAssert.IsProblemAsync(await server.Admin.DeleteAsync("/api/keys/not-a-key"), HttpStatusCode.NotFound, "GET /api/keys/list");
        using (var asUser = await server.User.DeleteAsync($"/api/keys/{keyId}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, asUser.StatusCode);
        }

        // Added again after the delete, it is a new key, active, with its counters from zero; the track that waited
        // for a key is fetched through it, and is its only call.
        var again = await AddAsync(HttpStatusCode.OK);
        Assert.True(again.GetProperty("isActive").GetBoolean());
        await TrackPolling.WaitForUpstreamCallsAsync(upstream.Counters, [unservedId], 1, TimeSpan.FromSeconds(15));
        Assert.Equal(2, upstream.Counters.CallsForKey(AppId));
        await TrackPolling.WaitUntilAsync(async () =>
        {
            list = await server.Admin.GetFromJsonAsync<JsonElement>("/api/keys/list");
            return list.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("id").GetString() == keyId).GetProperty("totalRequests").GetInt64() == 1;
        }, TimeSpan.FromSeconds(10), () => list.ToString());
        Assert.DoesNotContain(server.Logs.Lines, line => line.Contains(Secret, StringComparison.Ordinal));
    }

    private Task<HttpResponseMessage> PostAddAsync() => server.Admin.PostAsJsonAsync("/api/keys/add", new { appId = AppId, apiKey = Secret });

    private async Task<JsonElement> AddAsync(HttpStatusCode expected)
    {
        using var response = await PostAddAsync();
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }
}

/// <summary>One key of 20 calls per 2 s window and plenty of quota.</summary>
public sealed class ShortWindowServer() : GatewayFixture(() => new EmulatorOptions
{
    SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "windowed", ApiKey = "windowed-secret-2020", Quota = 100_000, RateLimit = 20, RateLimitWindow = TimeSpan.FromSeconds(2) }],
}, new Dictionary<string, string?>
{
    // Every track waits for its permit rather than for the queue: the claim is about the key's rate alone.
    ["SoundCharts:MaxPermitWait"] = "00:01:00",
    ["SoundCharts:RequestTimeout"] = "00:00:15",
});

[Collection(TimingCollection.Name)]
public sealed class RateLimitThroughputTests(ShortWindowServer server) : IClassFixture<ShortWindowServer>
{
    [Fact]
    public async Task Two_hundred_tracks_through_one_key_of_20_calls_per_2_s_take_at_most_1_10_times_the_floor()
    {
        const int tracks = 200;
        const int perWindow = 20;
        var window = TimeSpan.FromSeconds(2);
        // The first window opens at the first call; each later window costs its full length.
        var floor = (tracks / perWindow - 1) * window;
        var ids = TestIds.Tracks(tracks);
        var counters = server.Emulator.State.SoundCharts.Counters;

        var elapsed = Stopwatch.StartNew();
        var batches = await Task.WhenAll(ids.Chunk(100).Select(async chunk =>
        {
            using var response = await server.User.PostAsJsonAsync("/api/tracks/batch", new { trackIds = chunk });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }));
        elapsed.Stop();

        Assert.All(batches, b => Assert.Equal(0, b.GetProperty("failed").GetArrayLength()));
        Assert.Equal(tracks, counters.Ok);
        var ratio = elapsed.Elapsed / floor;
        Console.WriteLine($"200 tracks in {elapsed.Elapsed.TotalSeconds:0.00} s; floor {floor.TotalSeconds:0} s; ratio {ratio:0.000}; 429s {counters.RateLimited}");
        Assert.True(ratio <= 1.10, $"200 tracks took {elapsed.Elapsed.TotalSeconds:0.00} s, {ratio:0.000} x the floor of {floor.TotalSeconds:0} s");
    }
}

/// <summary>A key of 10 calls, and a SoundCharts that often hangs past our timeout or resets the connection after billing.</summary>
public sealed class BilledFaultServer() : GatewayFixture(() => new EmulatorOptions
{
    Seed = 11,
    SoundCharts = new SoundChartsSettings
    {
        TransientFaultRate = 0.4,
        FaultKinds = [FaultKind.Hang, FaultKind.ConnectionReset],
        HangDuration = TimeSpan.FromSeconds(2),
    },
    SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "billed", ApiKey = "billed-secret-1010", Quota = 10, RateLimit = 10_000 }],
}, new Dictionary<string, string?>
{
    ["SoundCharts:RequestTimeout"] = "00:00:00.300",
    ["SoundCharts:MaxPermitWait"] = "00:00:00.500",
});

public sealed class BilledFaultTests(BilledFaultServer server) : IClassFixture<BilledFaultServer>
{
    [Fact]
    public async Task Calls_that_timed_out_or_broke_off_count_as_spent_so_the_key_never_passes_its_quota()
    {
        var counters = server.Emulator.State.SoundCharts.Counters;
        foreach (var id in TestIds.Tracks(20))
        {
            using var response = await server.User.GetAsync($"/api/tracks/{id}");
            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable });
        }

        // Every unit went to a song or to a billed fault, and no call was sent once none was left.
        Assert.True(counters.TotalFaults > 0, "the billed faults should have fired");
        Assert.Equal(0, server.Emulator.State.SoundCharts.GetKey("billed")!.QuotaRemaining);
        Assert.Equal(10, counters.Ok + counters.TotalFaults);
        Assert.Equal(0, counters.QuotaExceeded);
        var keys = await server.Admin.GetFromJsonAsync<JsonElement>("/api/keys/list");
        var key = keys.GetProperty("keys").EnumerateArray().Single();
        Assert.False(key.GetProperty("isActive").GetBoolean());
        Assert.Equal(0, key.GetProperty("quotaRemaining").GetInt64());
    }
}
