using TrackGrains.Emulator.Spotify;

namespace TrackGrains.Tests.Emulator;

public sealed class SpotifyApiTests
{
    [Fact]
    public async Task Me_returns_the_user()
    {
        await using var host = await EmulatorHost.StartAsync();
        var user = host.State.Spotify.AddUser("tok", "alice", librarySize: 1);

        var me = await host.GetSpotifyJson("/v1/me", "tok");

        Assert.Equal("alice", (string)me["id"]!);
        Assert.Equal("user", (string)me["type"]!);
        Assert.Equal("spotify:user:alice", (string)me["uri"]!);
        Assert.Equal(user.AccountId, (string)me["account_id"]!);
        Assert.NotNull(me["display_name"]);
        Assert.NotNull(me["href"]);
    }

    [Fact]
    public async Task Tokens_expire_after_n_calls_on_demand_or_are_unknown()
    {
        await using var host = await EmulatorHost.StartAsync();
        host.State.Spotify.AddUser("short", "alice", librarySize: 1, tokenExpiresAfterCalls: 2);
        host.State.Spotify.AddToken("other", "alice");

        Assert.Equal(200, (int)(await host.GetSpotify("/v1/me", "short")).StatusCode);
        Assert.Equal(200, (int)(await host.GetSpotify("/v1/me", "short")).StatusCode);
        using var expired = await host.GetSpotify("/v1/me", "short");
        Assert.Equal(401, (int)expired.StatusCode);
        Assert.Equal("The access token expired", await expired.SpotifyError());

        host.State.Spotify.ExpireToken("other");
        Assert.Equal("The access token expired", await (await host.GetSpotify("/v1/me", "other")).SpotifyError());

        using var unknown = await host.GetSpotify("/v1/me", "nobody");
        Assert.Equal(401, (int)unknown.StatusCode);
        Assert.Equal("Invalid access token", await unknown.SpotifyError());
        Assert.Equal(3, host.State.Spotify.Counters.Unauthorized);
    }

    [Fact]
    public async Task Batch_tracks_is_closed_in_development_mode_but_single_tracks_work()
    {
        await using var host = await EmulatorHost.StartAsync();
        host.State.Spotify.AddUser("tok", "alice", librarySize: 1);
        var id = TestIds.Track(9);

        using var batch = await host.GetSpotify($"/v1/tracks?ids={id}", "tok");
        var single = await host.GetSpotifyJson($"/v1/tracks/{id}", "tok");

        Assert.Equal(403, (int)batch.StatusCode);
        Assert.Equal(403, (int)(await batch.Json())["error"]!["status"]!);
        Assert.Equal(id, (string)single["id"]!);
        Assert.Equal(host.State.Catalogue.GetSong(id).Name, (string)single["name"]!);
    }

    [Fact]
    public async Task Playlists_page_and_their_tracks_include_episodes_nulls_and_local_files()
    {
        var quirks = new SpotifyLibraryQuirks { EpisodeRate = 0.2, NullTrackRate = 0.1, LocalFileRate = 0.1 };
        await using var host = await EmulatorHost.StartAsync();
        host.State.Spotify.AddUser(new SpotifyUserOptions { Token = "tok", UserId = "alice", Quirks = quirks, PlaylistCount = 3, PlaylistSize = 60 });

        var playlists = await host.GetSpotifyJson("/v1/me/playlists?limit=2", "tok");
        Assert.Equal(3, (int)playlists["total"]!);
        var first = playlists["items"]![0]!;
        var href = (string)first["tracks"]!["href"]!;
        Assert.StartsWith(host.Emulator.BaseUrl, href);
        Assert.Equal(60, (int)first["tracks"]!["total"]!);

        var tracks = await host.GetSpotifyJson(href, "tok");
        var items = tracks["items"]!.AsArray();
        Assert.Equal(60, items.Count);
        Assert.Contains(items, i => (string?)i!["track"]?["type"] == "episode");
        Assert.Contains(items, i => i!["track"] is null);
        Assert.Contains(items, i => (bool)i!["is_local"]!);
        Assert.Equal(1, host.State.Spotify.Counters.CallsTo("/v1/playlists/{id}/tracks"));
    }

    [Fact]
    public async Task Every_nth_call_is_rate_limited_with_retry_after()
    {
        await using var host = await EmulatorHost.StartAsync(o => o.Spotify = new SpotifySettings { RateLimitEveryN = 3 });
        host.State.Spotify.AddUser("tok", "alice", librarySize: 1);

        var statuses = new List<int>();
        HttpResponseMessage? limited = null;
        for (var n = 0; n < 6; n++)
        {
            var response = await host.GetSpotify("/v1/me", "tok");
            statuses.Add((int)response.StatusCode);
            limited ??= (int)response.StatusCode == 429 ? response : null;
        }

        Assert.Equal([200, 200, 429, 200, 200, 429], statuses);
        Assert.Equal(TimeSpan.FromSeconds(1), limited!.Headers.RetryAfter!.Delta);
        Assert.Equal("API rate limit exceeded", await limited.SpotifyError());
    }
}
