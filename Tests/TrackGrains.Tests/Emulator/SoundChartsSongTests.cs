using System.Text.Json;
using System.Text.Json.Nodes;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;

namespace TrackGrains.Tests.Emulator;

public sealed class SoundChartsSongTests
{
    [Fact]
    public async Task Song_has_the_documented_shape_and_equals_the_catalogue()
    {
        await using var host = await EmulatorHost.StartAsync();
        var id = TestIds.Track(1);

        using var response = await host.GetSong(id);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.InRange(text.Length, 900, 3500);
        var body = JsonNode.Parse(text)!;
        Assert.Equal("song", (string)body["type"]!);
        Assert.Empty(body["errors"]!.AsArray());
        var song = body["object"]!.AsObject();
        foreach (var field in new[] { "uuid", "name", "isrc", "creditName", "artists", "releaseDate", "copyright", "appUrl", "imageUrl", "duration", "genres", "composers", "producers", "labels", "explicit", "languageCode" })
        {
            Assert.True(song.ContainsKey(field), $"missing {field}");
        }

        var expected = host.State.Catalogue.GetSong(id);
        Assert.True(JsonNode.DeepEquals(JsonSerializer.SerializeToNode(expected, JsonSerializerOptions.Web), song));
        Assert.Equal(expected.Isrc.Value, (string)song["isrc"]!["value"]!);
        Assert.Equal(expected.Duration, (int)song["duration"]!);
    }

    [Fact]
    public async Task Same_seed_gives_the_same_body_and_another_seed_a_different_one()
    {
        await using var first = await EmulatorHost.StartAsync();
        await using var second = await EmulatorHost.StartAsync();
        await using var other = await EmulatorHost.StartAsync(o => o.Seed = 8);
        var id = TestIds.Track(2);

        var a = await (await first.GetSong(id)).Json();
        var b = await (await second.GetSong(id)).Json();
        var c = await (await other.GetSong(id)).Json();

        Assert.True(JsonNode.DeepEquals(a, b));
        Assert.False(JsonNode.DeepEquals(a, c));
    }

    [Fact]
    public void Catalogue_has_the_gaps_real_data_has()
    {
        var catalogue = new SoundChartsCatalogue(7);
        var songs = Enumerable.Range(0, 1000).Select(n => catalogue.GetSong(TestIds.Track(n))).ToList();

        Assert.Contains(songs, s => s.Audio is null);
        Assert.Contains(songs, s => s.Audio is { Acousticness: null });
        Assert.Contains(songs, s => s.Audio is { Key: -1 });
        Assert.Contains(songs, s => s.Copyright is null);
        Assert.Contains(songs, s => s.LanguageCode is null);
        Assert.InRange(songs.Count(s => s.Audio is null), 1, 100);
        Assert.All(songs, s => Assert.InRange(s.Audio?.Key ?? 0, -1, 11));
    }

    [Fact]
    public async Task Not_found_costs_no_quota_and_gone_costs_one()
    {
        await using var host = await EmulatorHost.StartAsync(o => o.SoundCharts = new SoundChartsSettings { NotFoundRate = 1 });
        var gone = TestIds.Track(3);
        host.State.SoundCharts.SetAvailability(gone, SongAvailability.Gone);

        using var notFound = await host.GetSong(TestIds.Track(4));
        Assert.Equal(404, (int)notFound.StatusCode);
        Assert.Equal("""{"errors":[{"key":"song","code":404,"message":"Song not found"}]}""", await notFound.Content.ReadAsStringAsync());
        Assert.Equal("1000", notFound.Header("x-quota-remaining"));

        using var goneResponse = await host.GetSong(gone);
        Assert.Equal(410, (int)goneResponse.StatusCode);
        Assert.Equal("999", goneResponse.Header("x-quota-remaining"));

        var counters = host.State.SoundCharts.Counters;
        Assert.Equal((1, 1), (counters.NotFound, counters.Gone));
        Assert.Equal(999, host.State.SoundCharts.GetKey(EmulatorHost.AppId)!.QuotaRemaining);
    }

    [Fact]
    public async Task Not_found_becomes_known_after_the_delay_since_the_first_lookup()
    {
        await using var host = await EmulatorHost.StartAsync(o => o.SoundCharts = new SoundChartsSettings
        {
            NotFoundBecomesKnownAfter = TimeSpan.FromHours(2),
        });
        var id = TestIds.Track(5);
        host.State.SoundCharts.SetAvailability(id, SongAvailability.NotFound);

        Assert.Equal(404, (int)(await host.GetSong(id)).StatusCode);
        host.Time.Advance(TimeSpan.FromMinutes(119));
        Assert.Equal(404, (int)(await host.GetSong(id)).StatusCode);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(200, (int)(await host.GetSong(id)).StatusCode);
    }

    [Fact]
    public async Task Bad_credentials_are_401_and_a_plan_without_the_endpoint_is_403()
    {
        await using var host = await EmulatorHost.StartAsync(o =>
            o.SoundChartsKeys.Add(new SoundChartsKeyOptions { AppId = "basic", ApiKey = "k", PlanLacksEndpoint = true }));

        Assert.Equal(401, (int)(await host.GetSong(TestIds.Track(1), apiKey: "wrong")).StatusCode);
        Assert.Equal(401, (int)(await host.GetSong(TestIds.Track(1), appId: "nobody")).StatusCode);
        using var forbidden = await host.GetSong(TestIds.Track(1), "basic", "k");
        Assert.Equal(403, (int)forbidden.StatusCode);
        Assert.Equal("1000", forbidden.Header("x-quota-remaining"));
        Assert.Equal((2, 1), (host.State.SoundCharts.Counters.Unauthorized, host.State.SoundCharts.Counters.Forbidden));
    }

    [Fact]
    public async Task Usage_reports_quota_and_window_and_costs_nothing()
    {
        await using var host = await EmulatorHost.StartAsync();
        await host.GetSong(TestIds.Track(1));
        host.Time.Advance(TimeSpan.FromSeconds(10.5));

        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v2/team/usage");
        request.Headers.Add("x-app-id", EmulatorHost.AppId);
        request.Headers.Add("x-api-key", EmulatorHost.ApiKey);
        var usage = await (await host.Http.SendAsync(request)).Json();

        Assert.Equal(1000, (long)usage["quota"]!["limit"]!);
        Assert.Equal(999, (long)usage["quota"]!["remaining"]!);
        Assert.Equal(100, (int)usage["rateLimit"]!["limit"]!);
        Assert.Equal(99, (int)usage["rateLimit"]!["remaining"]!);
        Assert.Equal(50, (int)usage["rateLimit"]!["reset"]!);
        Assert.Equal(999, host.State.SoundCharts.GetKey(EmulatorHost.AppId)!.QuotaRemaining);
    }
}
