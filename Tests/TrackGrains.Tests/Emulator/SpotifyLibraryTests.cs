using System.Text.Json.Nodes;
using TrackGrains.Emulator.Spotify;

namespace TrackGrains.Tests.Emulator;

public sealed class SpotifyLibraryTests
{
    [Fact]
    public async Task Saved_tracks_page_newest_first_with_absolute_next_links()
    {
        await using var host = await EmulatorHost.StartAsync();
        var user = host.State.Spotify.AddUser("tok", "alice", librarySize: 120, seed: 3);

        var items = new List<JsonNode>();
        var pages = 0;
        string? next = $"{host.Emulator.BaseUrl}/v1/me/tracks?limit=50";
        while (next is not null)
        {
            Assert.StartsWith(host.Emulator.BaseUrl + "/v1/me/tracks?", next);
            var page = await host.GetSpotifyJson(next, "tok");
            Assert.Equal(120, (int)page["total"]!);
            Assert.Equal(50, (int)page["limit"]!);
            items.AddRange(page["items"]!.AsArray().Select(i => i!));
            next = (string?)page["next"];
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(120, items.Count);
        var addedAt = items.Select(i => DateTimeOffset.Parse((string)i["added_at"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(addedAt.OrderByDescending(t => t), addedAt);
        Assert.Equal(user.Library.Select(i => i.Id), items.Select(i => (string?)i["track"]!["id"]));
        Assert.Equal(3, host.State.Spotify.Counters.CallsTo("/v1/me/tracks"));
        Assert.Equal(3, host.State.Spotify.Counters.CallsWith("tok"));
    }

    [Fact]
    public async Task Limit_defaults_to_20_and_must_be_1_to_50()
    {
        await using var host = await EmulatorHost.StartAsync();
        host.State.Spotify.AddUser("tok", "alice", librarySize: 30);

        var page = await host.GetSpotifyJson("/v1/me/tracks", "tok");
        Assert.Equal(20, page["items"]!.AsArray().Count);
        Assert.Null((string?)page["previous"]);

        foreach (var bad in new[] { "limit=0", "limit=51", "offset=-1" })
        {
            using var response = await host.GetSpotify($"/v1/me/tracks?{bad}", "tok");
            Assert.Equal(400, (int)response.StatusCode);
            Assert.Equal(400, (int)(await response.Json())["error"]!["status"]!);
        }

        var last = await host.GetSpotifyJson("/v1/me/tracks?offset=20&limit=20", "tok");
        Assert.Equal(10, last["items"]!.AsArray().Count);
        Assert.Null((string?)last["next"]);
        Assert.EndsWith("/v1/me/tracks?offset=0&limit=20", (string)last["previous"]!);
    }

    [Fact]
    public async Task Development_mode_drops_popularity_markets_and_linked_from_but_keeps_the_isrc()
    {
        var quirks = new SpotifyLibraryQuirks { RelinkedRate = 0.5 };
        await using var host = await EmulatorHost.StartAsync();
        host.State.Spotify.AddUser("tok", "alice", librarySize: 20, quirks: quirks);

        var devTrack = (await host.GetSpotifyJson("/v1/me/tracks", "tok"))["items"]![0]!["track"]!.AsObject();
        Assert.False(devTrack.ContainsKey("popularity"));
        Assert.False(devTrack.ContainsKey("available_markets"));
        var id = (string)devTrack["id"]!;
        Assert.Equal(host.State.Catalogue.GetSong(id).Isrc.Value, (string)devTrack["external_ids"]!["isrc"]!);
        foreach (var field in new[] { "album", "artists", "duration_ms", "explicit", "external_urls", "href", "is_local", "is_playable", "name", "track_number", "disc_number", "type", "uri", "preview_url" })
        {
            Assert.True(devTrack.ContainsKey(field), $"missing {field}");
        }

        Assert.Equal(3, devTrack["album"]!["images"]!.AsArray().Count);

        host.State.Spotify.Settings = host.State.Spotify.Settings with { DevelopmentMode = false };
        var items = (await host.GetSpotifyJson("/v1/me/tracks", "tok"))["items"]!.AsArray();
        Assert.All(items, i => Assert.True(i!["track"]!.AsObject().ContainsKey("popularity")));
        Assert.Contains(items, i => i!["track"]!["linked_from"] is not null);
    }

    [Fact]
    public async Task Generated_libraries_carry_the_real_quirks()
    {
        var quirks = new SpotifyLibraryQuirks { NullTrackRate = 0.05, LocalFileRate = 0.05, DuplicateRate = 0.05, RelinkedRate = 0.05 };
        await using var host = await EmulatorHost.StartAsync(o => o.Spotify = new SpotifySettings { DevelopmentMode = false });
        host.State.Spotify.AddUser("tok", "alice", librarySize: 300, seed: 5, quirks: quirks);

        var items = new List<JsonNode>();
        for (var offset = 0; offset < 300; offset += 50)
        {
            items.AddRange((await host.GetSpotifyJson($"/v1/me/tracks?limit=50&offset={offset}", "tok"))["items"]!.AsArray().Select(i => i!));
        }

        Assert.Contains(items, i => i["track"] is null);
        var local = items.First(i => i["track"] is { } t && (bool)t["is_local"]!);
        Assert.Null(local["track"]!["id"]);
        Assert.StartsWith("spotify:local:", (string)local["track"]!["uri"]!);
        var ids = items.Select(i => (string?)i["track"]?["id"]).Where(id => id is not null).ToList();
        Assert.True(ids.Count > ids.Distinct().Count(), "expected a track saved twice");
        Assert.Contains(items, i => i["track"]?["linked_from"] is not null);
        Assert.Equal(300, items.Count);
    }

    [Fact]
    public async Task Added_tracks_appear_first_and_removed_ones_disappear()
    {
        await using var host = await EmulatorHost.StartAsync();
        var user = host.State.Spotify.AddUser("tok", "alice", librarySize: 10);
        var oldFirst = user.Library[0];

        var added = host.State.Spotify.AddTracks("alice", 2);
        var page = await host.GetSpotifyJson("/v1/me/tracks", "tok");

        Assert.Equal(12, (int)page["total"]!);
        Assert.Equal(added.Select(a => a.Id), page["items"]!.AsArray().Take(2).Select(i => (string?)i!["track"]!["id"]));
        Assert.Equal(oldFirst.Id, (string?)page["items"]![2]!["track"]!["id"]);
        Assert.True(added[0].AddedAt > added[1].AddedAt && added[1].AddedAt > oldFirst.AddedAt);

        Assert.Equal(1, user.RemoveTracks([oldFirst.Id!]));
        Assert.Equal(11, (int)(await host.GetSpotifyJson("/v1/me/tracks", "tok"))["total"]!);
    }
}
