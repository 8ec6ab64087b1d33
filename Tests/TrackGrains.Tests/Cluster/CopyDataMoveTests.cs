using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.Testing;
using TrackGrains.WebGateway.Commands;

namespace TrackGrains.Tests.Cluster;

/// <summary>
/// The whole move, with real processes: a server on a SQLite file builds up a library, enriched tracks,
/// keys and due retries; it stops; copy-data runs; a server on PostgreSQL takes over from the copy.
/// </summary>
[Collection(ProcessTests.Name)]
public sealed class CopyDataMoveTests : IAsyncLifetime
{
    private const string AdminToken = "copy-move-admin-token-0123456789";
    private const string UserToken = "copy-move-user-token";
    private const int LibrarySize = 60;
    private ProcessStage _stage = null!;

    public async Task InitializeAsync()
    {
        _stage = await ProcessStage.StartAsync("trackgrains-copy-", new EmulatorOptions
        {
            SoundChartsKeys =
            [
                new SoundChartsKeyOptions { AppId = "copy-app-1", ApiKey = "copy-key-secret-0001", Quota = 100_000, RateLimit = 100_000 },
                new SoundChartsKeyOptions { AppId = "copy-app-2", ApiKey = "copy-key-secret-0002", Quota = 100_000, RateLimit = 100_000 },
            ],
            SpotifyUsers = [new SpotifyUserOptions { Token = UserToken, UserId = "copy-user", LibrarySize = LibrarySize, PlaylistCount = 0 }],
        });
    }

    public async Task DisposeAsync() => await _stage.DisposeAsync();

    /// <summary>
    /// The keys are added through the API, not imported from settings: a server that re-imported them at
    /// start would list them whether or not they were copied.
    /// </summary>
    private Dictionary<string, string?> Settings() =>
        // Attempt 2 falls due after the SQLite server has stopped, so only a copied reminder can make it.
        _stage.Settings(AdminToken, importKey: _ => false).WithWatchableRetries(TimeSpan.FromSeconds(15));

    [Fact]
    public async Task A_server_on_PostgreSQL_serves_what_copy_data_moved_from_SQLite_and_fires_the_due_retries()
    {
        var upstream = _stage.Emulator.State.SoundCharts;
        var libraryIds = _stage.Emulator.State.Spotify.GetUser("copy-user")!.Library
            .Where(i => i.Kind == SavedItemKind.Track).Select(i => i.Id!).Distinct().ToList();
        var failing = TestIds.Tracks(6);
        JsonElement keysBefore, libraryBefore, tracksBefore;

        await using (var sqliteServer = await GatewayServer.StartAsync(Settings(), _stage.Folder))
        {
            using var admin = sqliteServer.Client(AdminToken, TimeSpan.FromSeconds(90));
            using var user = sqliteServer.Client(UserToken, TimeSpan.FromSeconds(90));
            foreach (var key in _stage.Emulator.State.SoundCharts.Keys.Select(k => k.Options))
            {
                using var added = await admin.PostAsJsonAsync("/api/keys/add", new { appId = key.AppId, apiKey = key.ApiKey });
                Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
            }
            using (var sync = await user.PostAsync("/api/sync?wait=true", null))
            {
                Assert.True(sync.IsSuccessStatusCode, await sync.Content.ReadAsStringAsync());
            }
            var enriched = await TrackPolling.PeekStatusesAsync(admin, libraryIds);
            Assert.All(enriched.Values, s => Assert.Equal("enriched", s));

            await RetryingTracks.CreateAsync(admin, upstream, failing);

            tracksBefore = await BatchAsync(admin, libraryIds);
            libraryBefore = await GetJsonAsync(user, $"/api/library?limit={LibrarySize}");
            keysBefore = await GetJsonAsync(admin, "/api/keys/list");
            await sqliteServer.StopAsync(TimeSpan.FromSeconds(30));
        }
        var callsBefore = libraryIds.Concat(failing).ToDictionary(id => id, upstream.Counters.CallsForTrack);
        Assert.All(libraryIds, id => Assert.Equal(1, callsBefore[id]));
        // One attempt of three transient tries each, and no second attempt yet: the retries are still due.
        Assert.All(failing, id => Assert.Equal(3, callsBefore[id]));

        var target = await (await PostgresServer.Shared).CreateDatabaseAsync();
        await using var copy = await GatewayVerb.CopyDataAsync(_stage.DatabasePath, target, _stage.Folder);
        Assert.True(copy.ExitCode == CommandExitCodes.Success, copy.RecentOutput);
        Assert.Contains("ServiceId found: trackgrains.", copy.RecentOutput);

        // What the database does not hold moves as the README says: the old data folder's key ring (without
        // it the copied key secrets cannot be read) goes to the new server's data folder.
        var newDataFolder = Path.Combine(_stage.Folder, "postgres-data");
        CopyFolder(Path.Combine(_stage.Folder, "keyring"), Path.Combine(newDataFolder, "keyring"));
        var onPostgres = Settings().With(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:ConnectionString"] = target,
            ["Storage:DataFolder"] = newDataFolder,
        });
        await using (var postgresServer = await GatewayServer.StartAsync(onPostgres, _stage.Folder))
        {
            using var admin = postgresServer.Client(AdminToken, TimeSpan.FromSeconds(90));
            using var user = postgresServer.Client(UserToken, TimeSpan.FromSeconds(90));

            // Nothing asks for the failing tracks: only their copied reminders can retry them.
            await TrackPolling.WaitUntilAsync(() => failing.All(id => upstream.Counters.CallsForTrack(id) == 4), TimeSpan.FromSeconds(90));
            var statuses = await TrackPolling.PeekStatusesAsync(admin, failing);
            Assert.All(statuses.Values, s => Assert.Equal("enriched", s));

            Assert.Equal(tracksBefore.ToString(), (await BatchAsync(admin, libraryIds)).ToString());
            var libraryAfter = await GetJsonAsync(user, $"/api/library?limit={LibrarySize}");
            Assert.Equal(libraryBefore.GetProperty("total").GetInt32(), libraryAfter.GetProperty("total").GetInt32());
            Assert.Equal(libraryBefore.GetProperty("tracks").ToString(), libraryAfter.GetProperty("tracks").ToString());

            var keysAfter = await GetJsonAsync(admin, "/api/keys/list");
            Assert.Equal(Identities(keysBefore), Identities(keysAfter));
            // The counters carried over: the retries added one successful call each to what SQLite had counted.
            Assert.Equal(Sum(keysBefore, "totalRequests") + failing.Count, Sum(keysAfter, "totalRequests"));
            Assert.Equal(Sum(keysBefore, "successfulRequests") + failing.Count, Sum(keysAfter, "successfulRequests"));
            Assert.Equal(Sum(keysBefore, "failedRequests"), Sum(keysAfter, "failedRequests"));
        }

        Assert.All(libraryIds, id => Assert.Equal(1, upstream.Counters.CallsForTrack(id)));
        Assert.All(failing, id => Assert.Equal(4, upstream.Counters.CallsForTrack(id)));
    }

    [Fact]
    public async Task CopyData_copies_what_a_killed_server_left_in_the_write_ahead_log()
    {
        var tracks = TestIds.Tracks(5);
        await using (var killed = await GatewayServer.StartAsync(Settings(), _stage.Folder))
        {
            using var admin = killed.Client(AdminToken, TimeSpan.FromSeconds(90));
            var key = _stage.Emulator.State.SoundCharts.Keys.First().Options;
            using var added = await admin.PostAsJsonAsync("/api/keys/add", new { appId = key.AppId, apiKey = key.ApiKey });
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
            Assert.All((await TrackPolling.PeekStatusesAsync(admin, tracks)).Values, s => Assert.Equal("enriched", s));
            await killed.KillAsync();
        }
        // Committed but not yet checkpointed into the main file: no process holds the file, yet the log has content.
        var wal = new FileInfo(_stage.DatabasePath + "-wal");
        Assert.True(wal.Exists && wal.Length > 0, "a killed server leaves its write-ahead log behind");
        var target = await (await PostgresServer.Shared).CreateDatabaseAsync();

        await using var copy = await GatewayVerb.CopyDataAsync(_stage.DatabasePath, target, _stage.Folder);

        Assert.True(copy.ExitCode == CommandExitCodes.Success, copy.RecentOutput);
        await using var db = new Npgsql.NpgsqlConnection(target);
        await db.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM tracks WHERE spotify_id = ANY(@ids) AND soundcharts_data IS NOT NULL", db);
        command.Parameters.AddWithValue("ids", tracks.ToArray());
        Assert.Equal(5L, await command.ExecuteScalarAsync());
    }

    private static async Task<JsonElement> BatchAsync(HttpClient client, IReadOnlyList<string> ids)
    {
        using var response = await client.PostAsJsonAsync("/api/tracks/batch", new { trackIds = ids });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ids.Count, body.GetProperty("cached").GetInt32());
        return body.GetProperty("tracks");
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>What a key is, as opposed to what it has done since: id, app, masked secret, state, when it was added.</summary>
    private static List<string> Identities(JsonElement keys) => keys.GetProperty("keys").EnumerateArray()
        .Select(k => string.Join('|', k.GetProperty("id"), k.GetProperty("appId"), k.GetProperty("apiKey"), k.GetProperty("isActive"),
            k.GetProperty("deactivationReason"), k.GetProperty("addedAt")))
        .Order(StringComparer.Ordinal)
        .ToList();

    private static long Sum(JsonElement keys, string counter) =>
        keys.GetProperty("keys").EnumerateArray().Sum(k => k.GetProperty(counter).GetInt64());

    private static void CopyFolder(string from, string to)
    {
        Assert.True(Directory.Exists(from), $"no key ring at {from}");
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
