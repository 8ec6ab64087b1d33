using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Silo.Storage;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.Testing;

namespace TrackGrains.Tests.Backups;

/// <summary>
/// The data a gateway stored (a synced library, cold reads, two keys with their accounting, due retries as
/// reminders), then stopped. Each upgrade test puts these rows into a database of an earlier release's schema.
/// </summary>
public sealed class UpgradeSourceServer() : GatewayFixture(DefaultEmulator, new Dictionary<string, string?>
{
    // Due after this fixture stopped its server, so the retries fire in the upgraded databases, not here.
    ["Retry:Delays"] = "00:00:00,00:00:08,00:00:08",
})
{
    public const string SecondAppId = "upgrade-app-2";

    public List<string> LibraryIds { get; private set; } = [];

    public List<string> EnrichedIds { get; private set; } = [];

    public List<string> RetryingIds { get; } = TestIds.Tracks(3);

    public Dictionary<string, StoredKey> Keys { get; private set; } = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var soundCharts = Emulator.State.SoundCharts;
        soundCharts.AddOrReplaceKey(new SoundChartsKeyOptions { AppId = SecondAppId, ApiKey = "upgrade-key-two-0002", Quota = 100_000, RateLimit = 100_000 });
        using (var add = await Admin.PostAsJsonAsync("/api/keys/add", new { appId = SecondAppId, apiKey = "upgrade-key-two-0002" }))
        {
            Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        }
        using (var sync = await User.PostAsync("/api/sync?wait=true", null))
        {
            Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
        }
        Assert.All((await TrackPolling.PeekStatusesAsync(Admin, TestIds.Tracks(5))).Values, s => Assert.Equal("enriched", s));

        soundCharts.Settings = soundCharts.Settings with { TransientFaultRate = 1.0, FaultKinds = [FaultKind.ServerError] };
        Assert.All((await TrackPolling.PeekStatusesAsync(Admin, RetryingIds)).Values, s => Assert.Equal("retrying", s));
        soundCharts.Settings = soundCharts.Settings with { TransientFaultRate = 0 };

        Keys = await ReadKeysAsync(Admin);
        await Factory.DisposeAsync();

        LibraryIds = await DatabaseProbe.ColumnAsync(Database, "SELECT spotify_id FROM library_tracks WHERE user_id = @user", ("@user", UserId));
        EnrichedIds = await DatabaseProbe.ColumnAsync(Database, "SELECT spotify_id FROM tracks WHERE soundcharts_data IS NOT NULL");
        Assert.Equal(20, LibraryIds.Count);
        Assert.Equal(RetryingIds.Count, await DatabaseProbe.CountAsync(Database, "SELECT COUNT(*) FROM OrleansRemindersTable"));
    }

    public static async Task<Dictionary<string, StoredKey>> ReadKeysAsync(HttpClient admin)
    {
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/keys/list");
        return list.GetProperty("keys").EnumerateArray().ToDictionary(
            k => k.GetProperty("id").GetString()!,
            k => new StoredKey(k.GetProperty("appId").GetString()!, k.GetProperty("isActive").GetBoolean(), k.GetProperty("totalRequests").GetInt64()));
    }
}

public sealed record StoredKey(string AppId, bool IsActive, long TotalRequests);

/// <summary>
/// Upgrades keep data: a database with the schema of each earlier release, holding tracks, keys and reminders,
/// opened with today's migrator and a real gateway.
/// </summary>
public sealed class SchemaUpgradeTests(UpgradeSourceServer source) : IClassFixture<UpgradeSourceServer>
{
    public static TheoryData<string> Releases() => new(ReleasedSchema.All.Select(r => r.Release));

    [Theory]
    [MemberData(nameof(Releases))]
    public async Task A_database_of_an_earlier_release_keeps_every_track_key_and_reminder_under_todays_code(string release)
    {
        var schema = ReleasedSchema.All.Single(r => r.Release == release);
        var path = Path.Combine(source.Folder, $"release-{release}-{Guid.NewGuid():N}.db");
        schema.CreateDatabase(path);
        var filled = ReleasedSchema.CopyData(source.DatabasePath, path);
        Assert.Contains("OrleansStorage", filled);
        Assert.Contains("OrleansRemindersTable", filled);
        Assert.Contains("tracks", filled);
        var reminders = await DatabaseProbe.CountAsync(TestDatabase.Sqlite(path), "SELECT COUNT(*) FROM OrleansRemindersTable");
        Assert.Equal(source.RetryingIds.Count, reminders);

        SqliteSchemaMigrator.Apply(SqliteConnectionSource.BuildConnectionString(path));
        var recorded = await DatabaseProbe.ColumnAsync(TestDatabase.Sqlite(path), "SELECT version FROM schema_versions");
        Assert.Empty(SqliteSchemaMigrator.ScriptVersions.Except(recorded));
        Assert.Equal(reminders, await DatabaseProbe.CountAsync(TestDatabase.Sqlite(path), "SELECT COUNT(*) FROM OrleansRemindersTable"));

        var upstream = source.Emulator.State.SoundCharts.Counters;
        var trackCallsBefore = source.EnrichedIds.Concat(source.RetryingIds).ToDictionary(id => id, upstream.CallsForTrack);
        var keyCallsBefore = source.Keys.Values.ToDictionary(k => k.AppId, k => upstream.CallsForKey(k.AppId));

        await using var gateway = new TrackGrainsFactory(source.Settings().With([new("Storage:Database", path)]), source.Logs);
        using var admin = Client(gateway, GatewayFixture.AdminToken);
        using var user = Client(gateway, GatewayFixture.UserToken);

        // Nothing asks for the retrying tracks: only their reminders, carried over from the old schema, retry them.
        await TrackPolling.WaitUntilAsync(() => source.RetryingIds.All(id => upstream.CallsForTrack(id) == trackCallsBefore[id] + 1), TimeSpan.FromSeconds(60));
        Assert.All((await TrackPolling.PeekStatusesAsync(admin, source.RetryingIds)).Values, s => Assert.Equal("enriched", s));

        var library = await LibraryListing.ReadAllAsync(user);
        Assert.Equal(source.LibraryIds.Order(StringComparer.Ordinal), library.Keys.Order(StringComparer.Ordinal));
        var served = await TrackPolling.PeekStatusesAsync(admin, source.EnrichedIds);
        Assert.Equal(source.EnrichedIds.Count, served.Count);
        Assert.All(served.Values, s => Assert.Equal("enriched", s));
        Assert.All(source.EnrichedIds, id => Assert.Equal(trackCallsBefore[id], upstream.CallsForTrack(id)));

        // Every key, with its counters carried on: what it counted before plus exactly the calls made since.
        var keys = await UpgradeSourceServer.ReadKeysAsync(admin);
        Assert.Equal(source.Keys.Keys.Order(StringComparer.Ordinal), keys.Keys.Order(StringComparer.Ordinal));
        Assert.All(source.Keys, before => Assert.Equal(
            before.Value with { TotalRequests = before.Value.TotalRequests + upstream.CallsForKey(before.Value.AppId) - keyCallsBefore[before.Value.AppId] },
            keys[before.Key]));
    }

    private static HttpClient Client(TrackGrainsFactory gateway, string bearer)
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }
}
