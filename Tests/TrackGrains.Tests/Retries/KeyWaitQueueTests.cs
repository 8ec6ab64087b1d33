using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Retries;

/// <summary>One key of 2 calls per 4 s window; a track waits in the queue as soon as no permit is in sight.</summary>
public sealed class NarrowWindowServer() : GatewayFixture(() => new EmulatorOptions
{
    SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "narrow", ApiKey = "narrow-secret-4444", Quota = 100_000, RateLimit = 2, RateLimitWindow = Window }],
}, new Dictionary<string, string?>
{
    ["SoundCharts:MaxPermitWait"] = "00:00:00.300",
})
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(4);
}

public sealed class KeyWaitTimerTests(NarrowWindowServer server) : IClassFixture<NarrowWindowServer>
{
    [Fact]
    public async Task Tracks_that_wait_for_a_resting_key_are_fetched_when_its_window_reopens_not_before_and_with_no_request()
    {
        var ids = TestIds.Tracks(4);
        var counters = server.Emulator.State.SoundCharts.Counters;
        var waiting = await RequestAsync(server, ids);
        Assert.Equal(2, waiting.Count);
        var sinceWaiting = Stopwatch.StartNew();

        // Watched from the emulator only. The sweep reminder's period is a minute here, so only the reopen timer
        // can bring them back within seconds.
        await TrackPolling.WaitForUpstreamCallsAsync(counters, waiting, 1, TimeSpan.FromSeconds(20));
        Assert.True(sinceWaiting.Elapsed < NarrowWindowServer.Window + TimeSpan.FromSeconds(3), $"fetched {sinceWaiting.Elapsed.TotalSeconds:0.0} s after waiting");
        // Not one call inside the closed window: the timer waited for the reopening.
        Assert.Equal(0, counters.RateLimited);
        Assert.All((await TrackPolling.PeekStatusesAsync(server.User, waiting)).Values, s => Assert.Equal("enriched", s));
    }

    /// <summary>Asks for the tracks in one batch; returns the ids left pending (waiting for a key).</summary>
    public static async Task<List<string>> RequestAsync(GatewayFixture server, IReadOnlyList<string> ids)
    {
        using var response = await server.User.PostAsJsonAsync("/api/tracks/batch", new { trackIds = ids });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("tracks").EnumerateArray()
            .Where(t => t.GetProperty("enrichment").GetProperty("status").GetString() == "pending")
            .Select(t => t.GetProperty("id").GetString()!)
            .ToList();
    }
}

/// <summary>As above, with the queue's sweep every 2 s instead of every minute, and a longer window.</summary>
public sealed class SweepingServer() : GatewayFixture(() => new EmulatorOptions
{
    SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "swept", ApiKey = "swept-secret-3333", Quota = 100_000, RateLimit = 2, RateLimitWindow = TimeSpan.FromSeconds(6) }],
}, new Dictionary<string, string?>
{
    ["SoundCharts:MaxPermitWait"] = "00:00:00.300",
    ["Retry:KeyWaitSweepPeriod"] = "00:00:02",
});

public sealed class KeyWaitSweepTests(SweepingServer server) : IClassFixture<SweepingServer>
{
    [Fact]
    public async Task After_a_restart_the_queue_sweep_resumes_waiting_tracks_though_the_reopen_timer_died_with_the_process()
    {
        var ids = TestIds.Tracks(4);
        var counters = server.Emulator.State.SoundCharts.Counters;
        var waiting = await KeyWaitTimerTests.RequestAsync(server, ids);
        Assert.Equal(2, waiting.Count);

        // The in-memory reopen timer goes with the process; the sweep is a reminder in the database.
        await server.RestartAsync();
        Assert.All(waiting, id => Assert.Equal(0, counters.CallsForTrack(id)));

        await TrackPolling.WaitForUpstreamCallsAsync(counters, waiting, 1, TimeSpan.FromSeconds(30));
        Assert.Equal(0, counters.RateLimited);
        Assert.All((await TrackPolling.PeekStatusesAsync(server.User, waiting)).Values, s => Assert.Equal("enriched", s));

        // Nothing waits any more: the sweep reminder is gone, not left firing every period.
        await DatabaseProbe.WaitForCountAsync(server.Database,
            "SELECT COUNT(*) FROM OrleansRemindersTable WHERE ReminderName = 'key-wait'", 0, TimeSpan.FromSeconds(15));
    }
}
