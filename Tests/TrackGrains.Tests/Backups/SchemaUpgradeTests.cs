using System.Net.Http.Headers;
using TrackGrains.Silo.Storage;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.Testing;

namespace TrackGrains.Tests.Backups;

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
        Assert.Equal(source.ReminderCount, reminders);

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
        var keys = await KeyListing.ReadAllAsync(admin);
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
