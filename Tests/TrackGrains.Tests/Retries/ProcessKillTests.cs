using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.Testing;

namespace TrackGrains.Tests.Retries;

/// <summary>One real process, killed with SIGKILL and started again on the same SQLite file.</summary>
[Collection(ProcessTests.Name)]
public sealed class ProcessKillTests : IAsyncLifetime
{
    private const string AdminToken = "kill-test-admin-token-0123456789";
    private ProcessStage _stage = null!;

    public async Task InitializeAsync()
    {
        _stage = await ProcessStage.StartAsync("trackgrains-kill-", new EmulatorOptions
        {
            SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "kill-app", ApiKey = "kill-key-secret-0001", Quota = 100_000, RateLimit = 100_000 }],
        });
    }

    public async Task DisposeAsync() => await _stage.DisposeAsync();

    private Dictionary<string, string?> Settings() =>
        // Long enough for the kill to land before the retry is due, short enough for a test.
        _stage.Settings(AdminToken).WithWatchableRetries(TimeSpan.FromSeconds(6));

    [Fact]
    public async Task Due_retries_fire_after_a_hard_kill_and_no_enriched_track_is_fetched_again()
    {
        var upstream = _stage.Emulator.State.SoundCharts;
        var enrichedFirst = TestIds.Tracks(5);
        var failing = TestIds.Tracks(10);

        await using (var gateway = await GatewayServer.StartAsync(Settings(), _stage.Folder))
        {
            using var client = gateway.Client(AdminToken, TimeSpan.FromSeconds(60));
            var enriched = await TrackPolling.PeekStatusesAsync(client, enrichedFirst);
            Assert.All(enriched.Values, s => Assert.Equal("enriched", s));

            await RetryingTracks.CreateAsync(client, upstream, failing);

            await gateway.KillAsync();
        }

        var callsBefore = enrichedFirst.Concat(failing).ToDictionary(id => id, upstream.Counters.CallsForTrack);
        Assert.All(failing, id => Assert.Equal(3, callsBefore[id]));

        await using (var restarted = await GatewayServer.StartAsync(Settings(), _stage.Folder))
        {
            // Nothing asks for the failing tracks: only their reminders, read back from SQLite, can retry them.
            await TrackPolling.WaitUntilAsync(() => failing.All(id => upstream.Counters.CallsForTrack(id) == 4), TimeSpan.FromSeconds(60));

            using var client = restarted.Client(AdminToken, TimeSpan.FromSeconds(60));
            var statuses = await TrackPolling.PeekStatusesAsync(client, enrichedFirst.Concat(failing).ToList());
            Assert.All(statuses.Values, s => Assert.Equal("enriched", s));
            Assert.Equal(15, statuses.Count);
        }

        Assert.All(enrichedFirst, id => Assert.Equal(1, upstream.Counters.CallsForTrack(id)));
        Assert.All(failing, id => Assert.Equal(4, upstream.Counters.CallsForTrack(id)));
    }
}
