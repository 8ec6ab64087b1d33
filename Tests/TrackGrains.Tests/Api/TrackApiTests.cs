using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Api;

public sealed class TrackApiTests(GatewayFixture server) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Uncached_track_is_fetched_once_then_served_from_storage()
    {
        var id = TestIds.Track();
        var first = await server.User.GetFromJsonAsync<JsonElement>($"/api/tracks/{id}");
        var track = first.GetProperty("track");
        Assert.Equal(id, track.GetProperty("id").GetString());
        Assert.Equal("enriched", track.GetProperty("enrichment").GetProperty("status").GetString());

        var expected = server.Emulator.State.Catalogue.GetSong(id);
        Assert.Equal(expected!.Uuid, track.GetProperty("soundchartsUuid").GetString());

        for (var i = 0; i < 5; i++)
        {
            using var again = await server.User.GetAsync($"/api/tracks/{id}");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        Assert.Equal(1, server.Emulator.State.SoundCharts.Counters.CallsForTrack(id));
    }

    [Fact]
    public async Task Fifty_concurrent_requests_for_one_uncached_track_make_one_upstream_call()
    {
        var id = TestIds.Track();
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => server.User.GetAsync($"/api/tracks/{id}")));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, server.Emulator.State.SoundCharts.Counters.CallsForTrack(id));
    }
}
