using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace TrackGrains.Tests.Emulator;

public sealed class ControlApiTests
{
    [Fact]
    public async Task Keys_settings_users_and_counters_can_be_driven_over_http()
    {
        await using var host = await EmulatorHost.StartAsync();
        var http = host.Http;

        Assert.Equal(200, (int)(await http.PutAsJsonAsync("/_emulator/soundcharts/keys", new { appId = "remote", apiKey = "rk", quota = 5, rateLimit = 10 })).StatusCode);
        var settings = await (await http.PatchAsync("/_emulator/soundcharts/settings", JsonContent.Create(new { notFoundRate = 1.0 }))).Json();
        Assert.Equal(1.0, (double)settings["notFoundRate"]!);
        Assert.Equal("00:00:30", (string)settings["hangDuration"]!);

        Assert.Equal(404, (int)(await host.GetSong(TestIds.Track(1), "remote", "rk")).StatusCode);
        await http.PutAsJsonAsync($"/_emulator/soundcharts/songs/{TestIds.Track(2)}/availability", new { availability = "Known" });
        Assert.Equal(200, (int)(await host.GetSong(TestIds.Track(2), "remote", "rk")).StatusCode);

        await http.PostAsJsonAsync("/_emulator/spotify/users", new { token = "tok", userId = "bob", librarySize = 3 });
        await http.PostAsJsonAsync("/_emulator/spotify/users/bob/tracks", new { count = 2 });
        Assert.Equal(5, (int)(await host.GetSpotifyJson("/v1/me/tracks", "tok"))["total"]!);

        var counters = await (await http.GetAsync("/_emulator/counters")).Json();
        Assert.Equal(2, (long)counters["soundCharts"]!["callsPerKey"]!["remote"]!);
        Assert.Equal(1, (long)counters["soundCharts"]!["ok"]!);
        Assert.Equal(1, (long)counters["spotify"]!["callsPerEndpoint"]!["/v1/me/tracks"]!);

        var key = await (await http.GetAsync("/_emulator/soundcharts/keys/remote")).Json();
        Assert.Equal(4, (long)key["quotaRemaining"]!);

        await http.PostAsync("/_emulator/reset", null);
        Assert.Equal(0, host.State.SoundCharts.Counters.SongCalls);
        Assert.Equal(5, host.State.SoundCharts.GetKey("remote")!.QuotaRemaining);
    }
}
