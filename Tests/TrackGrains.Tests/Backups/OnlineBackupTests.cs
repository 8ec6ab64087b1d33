using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.Testing;

namespace TrackGrains.Tests.Backups;

/// <summary>
/// The backup verb as a real process, next to a real gateway process that is writing (a sync, cold reads)
/// at the time; then a second gateway started on the backup.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class OnlineBackupTests : IAsyncLifetime
{
    private const string AdminToken = "backup-test-admin-token-0123456789";
    private const string UserToken = "backup-test-user-token";
    private const string UserId = "backup-user";
    private const string AppId = "backup-app";
    private ProcessStage _stage = null!;

    public async Task InitializeAsync()
    {
        _stage = await ProcessStage.StartAsync("trackgrains-backup-", new EmulatorOptions
        {
            SoundChartsKeys = [new SoundChartsKeyOptions { AppId = AppId, ApiKey = "backup-key-secret-0001", Quota = 100_000, RateLimit = 100_000 }],
            // Slow enough upstreams that the sync is still writing while the backup runs.
            SoundCharts = new SoundChartsSettings { Latency = TimeSpan.FromMilliseconds(40) },
            Spotify = new SpotifySettings { Latency = TimeSpan.FromMilliseconds(300) },
            SpotifyUsers = [new SpotifyUserOptions { Token = UserToken, UserId = UserId, LibrarySize = 400, PlaylistCount = 0 }],
        });
    }

    public async Task DisposeAsync() => await _stage.DisposeAsync();

    private Dictionary<string, string?> Settings() =>
        // Due well after the backup is taken, so the backup holds them still waiting.
        _stage.Settings(AdminToken).WithWatchableRetries(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task A_backup_taken_during_a_sync_and_cold_reads_is_whole_and_a_gateway_on_it_serves_the_library_without_upstream_calls()
    {
        var backupPath = Path.Combine(_stage.Folder, "backups", "during-sync.db");
        var coldReads = new ConcurrentQueue<string>();
        var retrying = TestIds.Tracks(3);
        var upstream = _stage.Emulator.State;
        long keyCallsWhenBackedUp;

        await using (var gateway = await GatewayServer.StartAsync(Settings(), _stage.Folder))
        {
            using var user = gateway.Client(UserToken, TimeSpan.FromSeconds(60));
            using var admin = gateway.Client(AdminToken, TimeSpan.FromSeconds(60));
            await RetryingTracks.CreateAsync(admin, upstream.SoundCharts, retrying);

            using var start = await user.PostAsJsonAsync("/api/sync", new { collectionType = "saved" });
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            var syncId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("syncId").GetString()!;

            using var stopReading = new CancellationTokenSource();
            var reading = ReadColdTracksAsync(admin, coldReads, stopReading.Token);

            // Start the backup once the sync has stored part of the library and is still running.
            await DatabaseProbe.WaitForCountAsync(TestDatabase.Sqlite(_stage.DatabasePath), "SELECT COUNT(*) > 0 FROM library_tracks", 1, TimeSpan.FromSeconds(60));
            Assert.Equal("running", await SyncStateAsync(user, syncId));
            var coldReadsBefore = coldReads.Count;

            await using var backup = await GatewayVerb.RunAsync("backup", ["--to", backupPath], Settings(), _stage.Folder);
            keyCallsWhenBackedUp = upstream.SoundCharts.Counters.CallsForKey(AppId);

            Assert.True(backup.ExitCode == 0, backup.RecentOutput);
            Assert.Contains($"written to {backupPath}:", backup.RecentOutput);
            Assert.Contains("integrity_check ok", backup.RecentOutput);
            // The server kept serving (and writing) while the backup ran.
            await TrackPolling.WaitUntilAsync(() => coldReads.Count > coldReadsBefore, TimeSpan.FromSeconds(30));

            await stopReading.CancelAsync();
            await reading;
            await gateway.StopAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal("ok", (await DatabaseProbe.RowAsync(TestDatabase.Sqlite(backupPath), "PRAGMA integrity_check"))!.Values.Single());
        var library = await DatabaseProbe.ColumnAsync(TestDatabase.Sqlite(backupPath), "SELECT spotify_id FROM library_tracks WHERE user_id = @user", ("@user", UserId));
        var enriched = await DatabaseProbe.ColumnAsync(TestDatabase.Sqlite(backupPath), "SELECT spotify_id FROM tracks WHERE soundcharts_data IS NOT NULL");
        Assert.NotEmpty(library);
        Assert.Contains(enriched, coldReads.Contains);
        Assert.Equal(retrying.Count, await DatabaseProbe.CountAsync(TestDatabase.Sqlite(backupPath),
            "SELECT COUNT(*) FROM failed_requests WHERE status = 'retrying' AND spotify_id IN (@a, @b, @c)",
            ("@a", retrying[0]), ("@b", retrying[1]), ("@c", retrying[2])));
        var keyTotalProjected = await DatabaseProbe.CountAsync(TestDatabase.Sqlite(backupPath),
            "SELECT total_requests FROM api_keys WHERE app_id = @app", ("@app", AppId));

        var callsBefore = enriched.Concat(retrying).ToDictionary(id => id, upstream.SoundCharts.Counters.CallsForTrack);
        var keyCallsBefore = upstream.SoundCharts.Counters.CallsForKey(AppId);
        var spotifyDataCallsBefore = SpotifyDataCalls(upstream);

        var restoredSettings = Settings().With([new("Storage:Database", backupPath)]);
        await using (var restored = await GatewayServer.StartAsync(restoredSettings, _stage.Folder))
        {
            using var user = restored.Client(UserToken, TimeSpan.FromSeconds(60));
            using var admin = restored.Client(AdminToken, TimeSpan.FromSeconds(60));

            // Nothing asks for them: only the reminders in the backup can retry these tracks.
            await TrackPolling.WaitUntilAsync(() => retrying.All(id => upstream.SoundCharts.Counters.CallsForTrack(id) == callsBefore[id] + 1),
                TimeSpan.FromSeconds(60));
            Assert.All((await TrackPolling.PeekStatusesAsync(admin, retrying)).Values, s => Assert.Equal("enriched", s));

            var listed = await LibraryListing.ReadAllAsync(user);
            Assert.Equal(library.Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
            Assert.All(library.Where(enriched.Contains), id => Assert.Equal("enriched", listed[id]));

            var served = await TrackPolling.PeekStatusesAsync(admin, enriched);
            Assert.Equal(enriched.Count, served.Count);
            Assert.All(served.Values, status => Assert.Equal("enriched", status));

            // The key's counters as the backup holds them (its grain writes them at most once a second): at least what
            // the backup's read model shows, at most the calls SoundCharts had seen when the backup ended, and since
            // the restore counting on from there.
            var key = (await KeyListing.ReadAllAsync(admin)).Values.Single();
            Assert.True(key.IsActive);
            var countedInBackup = key.TotalRequests - (upstream.SoundCharts.Counters.CallsForKey(AppId) - keyCallsBefore);
            Assert.InRange(countedInBackup, Math.Max(1, keyTotalProjected), keyCallsWhenBackedUp);
        }

        Assert.All(enriched, id => Assert.Equal(callsBefore[id], upstream.SoundCharts.Counters.CallsForTrack(id)));
        Assert.Equal(spotifyDataCallsBefore, SpotifyDataCalls(upstream));
    }

    /// <summary>Batches of never-seen tracks until stopped: each one is a SoundCharts call and a write.</summary>
    private static async Task ReadColdTracksAsync(HttpClient admin, ConcurrentQueue<string> enrichedIds, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var statuses = await TrackPolling.PeekStatusesAsync(admin, TestIds.Tracks(5));
            foreach (var (id, _) in statuses.Where(s => s.Value == "enriched"))
            {
                enrichedIds.Enqueue(id);
            }
        }
    }

    /// <summary>Spotify calls other than the token check a user's request makes (/v1/me): library pages, track lookups.</summary>
    private static long SpotifyDataCalls(EmulatorState upstream) =>
        upstream.Spotify.Counters.ApiCalls - upstream.Spotify.Counters.CallsTo("/v1/me");

    private static async Task<string> SyncStateAsync(HttpClient user, string syncId) =>
        (await user.GetFromJsonAsync<JsonElement>($"/api/sync/{syncId}")).GetProperty("state").GetString()!;
}
