using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Api;

public abstract class TrackApiTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : GatewayFixture
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

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_anonymous_callers(string path)
    {
        using var response = await server.Anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Batch_reports_cached_fetched_and_failed_for_distinct_ids()
    {
        var known = TestIds.Track();
        await server.User.GetAsync($"/api/tracks/{known}");
        var fresh = TestIds.Track();
        var unknown = TestIds.Track();
        server.Emulator.State.SoundCharts.SetAvailability(unknown, TrackGrains.Emulator.SoundCharts.SongAvailability.NotFound);

        using var response = await server.User.PostAsJsonAsync("/api/tracks/batch", new { trackIds = new[] { known, fresh, unknown, fresh } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("tracks").GetArrayLength());
        Assert.Equal(1, body.GetProperty("cached").GetInt32());
        Assert.Equal(1, body.GetProperty("fetched").GetInt32());
        Assert.Equal(new[] { unknown }, body.GetProperty("failed").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Fact]
    public async Task Spotify_unreachable_while_checking_a_token_is_a_503_not_a_sign_out()
    {
        var spotify = server.Emulator.State.Spotify;
        var before = spotify.Settings;
        spotify.AddToken("token-never-seen-before", GatewayFixture.UserId);
        spotify.Settings = before with { RateLimitEveryN = 1 };
        try
        {
            using var response = await server.Client("token-never-seen-before").GetAsync($"/api/tracks/{TestIds.Track()}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.RetryAfter is not null);
            Assert.False(response.Headers.WwwAuthenticate.Any(), "a 503 must not ask the client to authenticate again");
        }
        finally
        {
            spotify.Settings = before;
        }
    }
}

public sealed class TrackApiTestsOnSqlite(GatewayFixture server) : TrackApiTests<GatewayFixture>(server);

public sealed class TrackApiTestsOnPostgres(GatewayFixtureOnPostgres server) : TrackApiTests<GatewayFixtureOnPostgres>(server);
