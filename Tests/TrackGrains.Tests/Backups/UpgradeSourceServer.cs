using System.Net;
using System.Net.Http.Json;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Backups;

/// <summary>
/// The data a gateway stored (a synced library, cold reads, two keys with their accounting, due retries as
/// reminders), then stopped. Each upgrade test puts these rows into a database of an earlier release's schema.
/// </summary>
public sealed class UpgradeSourceServer() : GatewayFixture(DefaultEmulator, new Dictionary<string, string?>
{
    // Due after this fixture stopped its server, so the retries fire in the upgraded databases, not here.
    ["Retry:Delays"] = "00:00:00,00:00:15,00:00:15",
})
{
    public const string SecondAppId = "upgrade-app-2";

    public List<string> LibraryIds { get; private set; } = [];

    public List<string> EnrichedIds { get; private set; } = [];

    public List<string> RetryingIds { get; } = TestIds.Tracks(3);

    public Dictionary<string, ListedKey> Keys { get; private set; } = [];

    /// <summary>Reminder rows the gateway left: at least one per retrying track.</summary>
    public long ReminderCount { get; private set; }

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

        await RetryingTracks.CreateAsync(Admin, soundCharts, RetryingIds);

        Keys = await KeyListing.ReadAllAsync(Admin);
        await Factory.DisposeAsync();

        LibraryIds = await DatabaseProbe.ColumnAsync(Database, "SELECT spotify_id FROM library_tracks WHERE user_id = @user", ("@user", UserId));
        EnrichedIds = await DatabaseProbe.ColumnAsync(Database, "SELECT spotify_id FROM tracks WHERE soundcharts_data IS NOT NULL");
        Assert.Equal(20, LibraryIds.Count);
        ReminderCount = await DatabaseProbe.CountAsync(Database, "SELECT COUNT(*) FROM OrleansRemindersTable");
        Assert.True(ReminderCount >= RetryingIds.Count, $"{ReminderCount} reminders for {RetryingIds.Count} retrying tracks");
    }
}
