using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Emulator.Spotify;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Sync;

/// <summary>
/// A server whose Spotify calls time out after two seconds, so hangs (five seconds) are found quickly, while an
/// ordinary call on a machine busy with the rest of the suite still has room: at one second, slow answers became
/// timeouts too and ran one page's three retries out (seen once in a full run).
/// </summary>
public sealed class SpotifyTroubleFixture() : GatewayFixture(DefaultEmulator, new Dictionary<string, string?>
{
    ["Spotify:RequestTimeout"] = "00:00:02",
    ["Retry:NotFoundRecheck"] = "01:00:00",
})
{
    private static int _users;

    public (string UserId, string Token, HttpClient Client) NewUser(int librarySize)
    {
        var n = Interlocked.Increment(ref _users);
        var userId = $"trouble-user-{n}";
        var token = $"trouble-token-{n}-{Guid.NewGuid():N}";
        Emulator.State.Spotify.AddUser(token, userId, librarySize, seed: 9_000 + n + Random.Shared.Next(1_000_000) * 1000L);
        return (userId, token, Client(token));
    }

    /// <summary>Runs <paramref name="test"/> with Spotify behaving as <paramref name="settings"/> says, then restores it.</summary>
    public async Task WithSpotifyAsync(Func<SpotifySettings, SpotifySettings> settings, Func<Task> test)
    {
        var spotify = Emulator.State.Spotify;
        var before = spotify.Settings;
        spotify.Settings = settings(before);
        try
        {
            await test();
        }
        finally
        {
            spotify.Settings = before;
            spotify.Reset();
        }
    }
}

/// <summary>A sync against a Spotify that fails as the real one does: 5xx, resets, hangs, long Retry-After, and a server restart.</summary>
public sealed class SpotifyTroubleTests(SpotifyTroubleFixture fixture) : IClassFixture<SpotifyTroubleFixture>
{
    [Fact]
    public async Task A_sync_rides_out_Spotify_5xx_answers_connection_resets_and_timeouts_and_stores_every_track()
    {
        const int librarySize = 400; // 8 pages of 50
        var (_, _, client) = fixture.NewUser(librarySize);
        // Signed in before the trouble starts: /v1/me is the sign-in's business, the pages are the sync's.
        (await client.GetAsync("/api/library")).Dispose();

        await fixture.WithSpotifyAsync(s => s with { ServerErrorEveryN = 3, ConnectionResetEveryN = 5, HangEveryN = 7, HangDuration = TimeSpan.FromSeconds(5) }, async () =>
        {
            var done = await SyncApi.SyncAndWaitAsync(client);
            Assert.Equal("completed", done.GetProperty("state").GetString());
            Assert.Equal(librarySize, done.Int("stats.total"));
            Assert.True(fixture.Emulator.State.Spotify.Counters.Faults >= 3, "the emulator must have injected faults for this test to mean anything");
        });

        var library = await client.GetFromJsonAsync<JsonElement>("/api/library?limit=1");
        Assert.Equal(librarySize, library.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_long_Retry_After_ends_the_sync_with_a_clear_error_keeps_what_it_stored_and_does_not_hammer_Spotify()
    {
        var (_, _, client) = fixture.NewUser(librarySize: 300);
        (await client.GetAsync("/api/library")).Dispose();

        await fixture.WithSpotifyAsync(s => s with { RateLimitPerWindow = 2, RateLimitWindow = TimeSpan.FromMinutes(1), RateLimitRetryAfter = TimeSpan.FromHours(2) }, async () =>
        {
            using var response = await SyncApi.PostAsync(client, "/api/sync");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var syncId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("syncId").GetString();
            var status = default(JsonElement);
            await TrackPolling.WaitUntilAsync(async () =>
            {
                status = await client.GetFromJsonAsync<JsonElement>($"/api/sync/{syncId}");
                return status.GetProperty("state").GetString() != "running";
            }, SyncApi.Timeout, () => status.ToString());

            Assert.Equal("failed", status.GetProperty("state").GetString());
            var error = status.GetProperty("error").GetString()!;
            Assert.Contains("429", error);
            Assert.Contains("retry after 7200 s", error);
            Assert.Contains("kept", error);
            // The two pages inside the window were stored; the third page's 429 was not retried inside the penalty.
            Assert.Equal(1, fixture.Emulator.State.Spotify.Counters.RateLimited);
            var library = await client.GetFromJsonAsync<JsonElement>("/api/library?limit=1");
            Assert.Equal(100, library.GetProperty("total").GetInt32());
        });
    }

    [Fact]
    public async Task A_sync_interrupted_by_a_restart_says_so_and_the_next_sync_finishes_the_library()
    {
        const int librarySize = 500;
        var (userId, token, client) = fixture.NewUser(librarySize);
        (await client.GetAsync("/api/library")).Dispose();
        string? syncId = null;

        await fixture.WithSpotifyAsync(s => s with { Latency = TimeSpan.FromMilliseconds(300) }, async () =>
        {
            using var response = await SyncApi.PostAsync(client, "/api/sync");
            syncId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("syncId").GetString();
            var running = default(JsonElement);
            await TrackPolling.WaitUntilAsync(async () =>
            {
                running = await client.GetFromJsonAsync<JsonElement>($"/api/sync/{syncId}");
                return running.Int("progress.pages") >= 2;
            }, SyncApi.Timeout, () => running.ToString());
            Assert.Equal("running", running.GetProperty("state").GetString());

            await fixture.RestartAsync();
        });

        using var after = fixture.Client(token);
        var interrupted = await after.GetFromJsonAsync<JsonElement>($"/api/sync/{syncId}");
        Assert.Equal("failed", interrupted.GetProperty("state").GetString());
        Assert.Contains("server stopped", interrupted.GetProperty("error").GetString());

        var done = await SyncApi.SyncAndWaitAsync(after);
        Assert.Equal("completed", done.GetProperty("state").GetString());
        var library = await after.GetFromJsonAsync<JsonElement>("/api/library?limit=1");
        Assert.Equal(librarySize, library.GetProperty("total").GetInt32());

        var ids = fixture.Emulator.State.Spotify.GetUser(userId)!.Library.Select(i => i.Id).OfType<string>().ToList();
        var statuses = await TrackPolling.PeekStatusesAsync(fixture.Admin, ids);
        Assert.All(ids, id => Assert.Equal("enriched", statuses[id]));
        AssertPaidOnceButForCallsInFlight(ids);
    }

    /// <summary>
    /// One SoundCharts call per track, except where a call was in flight when the server stopped (its answer
    /// was lost): at most one such call per sync worker.
    /// </summary>
    private void AssertPaidOnceButForCallsInFlight(IReadOnlyList<string> ids)
    {
        var calls = fixture.Emulator.State.SoundCharts.Counters;
        Assert.All(ids, id => Assert.InRange(calls.CallsForTrack(id), 1, 2));
        Assert.InRange(ids.Count(id => calls.CallsForTrack(id) == 2), 0, SyncWorkers);
    }

    /// <summary>LibrarySync.Parallelism.</summary>
    private const int SyncWorkers = 24;

    [Fact]
    public async Task After_an_interrupted_incremental_sync_the_next_one_enriches_the_tracks_the_first_stored_but_did_not_enrich()
    {
        var (userId, token, client) = fixture.NewUser(librarySize: 20);
        Assert.Equal("completed", (await SyncApi.SyncAndWaitAsync(client)).GetProperty("state").GetString());
        var added = fixture.Emulator.State.Spotify.AddTracks(userId, 150).Select(i => i.Id!).ToList();

        string? syncId = null;
        var soundCharts = fixture.Emulator.State.SoundCharts;
        var before = soundCharts.Settings;
        // SoundCharts slow, so the restart lands while stored tracks still wait for their enrichment.
        soundCharts.Settings = before with { Latency = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await SyncApi.PostAsync(client, "/api/sync");
            syncId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("syncId").GetString();
            var running = default(JsonElement);
            await TrackPolling.WaitUntilAsync(async () =>
            {
                running = await client.GetFromJsonAsync<JsonElement>($"/api/sync/{syncId}");
                return running.Int("progress.tracksFound") == added.Count;
            }, SyncApi.Timeout, () => running.ToString());
            Assert.True(running.Int("progress.tracksDone") < added.Count, running.ToString());
            await fixture.RestartAsync();
        }
        finally
        {
            soundCharts.Settings = before;
        }

        using var after = fixture.Client(token);
        Assert.Equal("failed", (await after.GetFromJsonAsync<JsonElement>($"/api/sync/{syncId}")).GetProperty("state").GetString());
        var done = await SyncApi.SyncAndWaitAsync(after);
        Assert.Equal("completed", done.GetProperty("state").GetString());

        // Read without triggering a fetch: the sync itself must have enriched them.
        var library = await after.GetFromJsonAsync<JsonElement>("/api/library?limit=200");
        Assert.Equal(20 + added.Count, library.GetProperty("total").GetInt32());
        Assert.All(library.GetProperty("tracks").EnumerateArray(),
            t => Assert.Equal("enriched", t.GetProperty("enrichment").GetProperty("status").GetString()));
        AssertPaidOnceButForCallsInFlight(added);
    }
}
