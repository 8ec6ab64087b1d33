using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TrackGrains.Emulator.Spotify;
using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.Grains.ReadModel;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.Tests.Sync;

namespace TrackGrains.Tests.Library;

/// <summary>
/// GET /api/library's q, sort, order and playlist over the whole library, /api/playlists, /api/library/features
/// and the export, against synced libraries (the fixture's SoundCharts answers some 404s, so some tracks
/// have no audio features).
/// </summary>
public abstract class LibraryQueryTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : SyncFixture
{
    [Fact]
    public async Task Search_covers_the_whole_library_by_track_or_artist_name_case_insensitively()
    {
        var user = server.AddUser(260);
        await SyncApi.SyncAndWaitAsync(user.Client, "saved");
        var all = await AllPagesAsync(user.Client, "");
        Assert.True(all.Count > 200, "more tracks than one page");

        // An artist of an old track (beyond the first page), searched in another case, and part of a track name.
        var artist = Artists(all[^1])[0];
        var word = Name(all[^3]).Split(' ')[^1];
        foreach (var q in new[] { artist.ToUpperInvariant(), word.ToLowerInvariant()[1..] })
        {
            var expected = all.Where(t => Name(t).Contains(q, StringComparison.OrdinalIgnoreCase)
                || Artists(t).Any(a => a.Contains(q, StringComparison.OrdinalIgnoreCase))).Select(Id).ToList();
            var found = await AllPagesAsync(user.Client, "q=" + Uri.EscapeDataString(q));
            Assert.NotEmpty(expected);
            Assert.True(expected.Count < all.Count, $"'{q}' should narrow the library");
            // Same tracks, still newest first.
            Assert.Equal(expected, found.Select(Id).ToList());
            var page = await SyncApi.GetJsonAsync(user.Client, "/api/library?limit=1&q=" + Uri.EscapeDataString(q));
            Assert.Equal(expected.Count, page.Int("total"));
        }
        var none = await SyncApi.GetJsonAsync(user.Client, "/api/library?q=zzzz-no-such-track");
        Assert.Equal(0, none.Int("total"));
    }

    [Fact]
    public async Task Sorting_orders_the_whole_library_and_puts_tracks_without_the_value_last_either_way()
    {
        var user = server.AddUser(240);
        await SyncApi.SyncAndWaitAsync(user.Client, "saved");

        var fastestFirst = await AllPagesAsync(user.Client, "sort=tempo&order=desc");
        var slowestFirst = await AllPagesAsync(user.Client, "sort=tempo&order=asc");
        var tempos = fastestFirst.Select(Tempo).ToList();
        Assert.Contains(null, tempos);
        var known = tempos.TakeWhile(t => t is not null).Select(t => t!.Value).ToList();
        Assert.All(tempos.Skip(known.Count), t => Assert.Null(t));
        Assert.Equal(known.OrderDescending().ToList(), known);
        Assert.Equal(known.Max(), known[0]);
        var ascending = slowestFirst.Select(Tempo).ToList();
        Assert.Equal(known.Order().ToList(), ascending.Take(known.Count).Select(t => t!.Value).ToList());
        Assert.All(ascending.Skip(known.Count), t => Assert.Null(t));
        Assert.Equal(fastestFirst.Select(Id).Order(), slowestFirst.Select(Id).Order());

        // Names sort A to Z by default, compared case-insensitively.
        var byName = await AllPagesAsync(user.Client, "sort=name");
        var names = byName.Select(t => Name(t).ToLowerInvariant()).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal).ToList(), names);

        var page = await SyncApi.GetJsonAsync(user.Client, "/api/library?sort=energy&limit=3");
        Assert.Equal("desc", page.GetProperty("order").GetString());
        Assert.Equal(fastestFirst.Count, page.Int("total"));
    }

    [Fact]
    public async Task Non_ascii_names_are_found_in_any_case_and_like_wildcards_in_q_are_plain_characters()
    {
        var user = server.AddUser(10);
        await SyncApi.SyncAndWaitAsync(user.Client, "saved");
        var odd = await AddTrackAsync(user.UserId, "Ça, \"va\"\nbien 100%_done", ["ÉMILE Ørsted", "Band, The"]);

        foreach (var q in new[] { "émile", "ØRSTED", "ça, \"VA\"", "100%", "%_d" })
        {
            var found = await SyncApi.GetJsonAsync(user.Client, "/api/library?q=" + Uri.EscapeDataString(q));
            Assert.Equal(odd, Assert.Single(found.GetProperty("tracks").EnumerateArray()).GetProperty("id").GetString());
        }
        // Were % and _ wildcards, these would match every track.
        Assert.Equal(1, (await SyncApi.GetJsonAsync(user.Client, "/api/library?q=%25")).Int("total"));
        Assert.Equal(1, (await SyncApi.GetJsonAsync(user.Client, "/api/library?q=_")).Int("total"));

        var csv = LibraryCsv.Parse(await DownloadAsync(user.Client, "/api/library/export?format=csv", "text/csv"));
        var row = Assert.Single(csv, r => r["Track URI"] == "spotify:track:" + odd);
        Assert.Equal("Ça, \"va\"\nbien 100%_done", row["Track Name"]);
        Assert.Equal("ÉMILE Ørsted, Band, The", row["Artist Name(s)"]);
        Assert.Equal("Album, \"quoted\"", row["Album Name"]);
    }

    [Fact]
    public async Task Unknown_sort_order_format_playlist_and_overlong_q_are_problems_naming_what_is_allowed()
    {
        var user = server.AddUser(5);
        await ProblemAssert.IsProblemAsync(await user.Client.GetAsync("/api/library?sort=bpm"), HttpStatusCode.BadRequest,
            "'sort' must be one of addedAt, name, artist, tempo, energy, danceability, valence, acousticness, instrumentalness, liveness, speechiness, loudness, key, popularity, duration (got 'bpm')");
        await ProblemAssert.IsProblemAsync(await user.Client.GetAsync("/api/library?sort=tempo&order=up"), HttpStatusCode.BadRequest,
            "'order' must be asc or desc (got 'up')");
        await ProblemAssert.IsProblemAsync(await user.Client.GetAsync("/api/library?sort=tempo&sort=energy"), HttpStatusCode.BadRequest, "given 2 times");
        await ProblemAssert.IsProblemAsync(await user.Client.GetAsync("/api/library?q=" + new string('a', 201)), HttpStatusCode.BadRequest, "at most 200");
        await ProblemAssert.IsProblemAsync(await user.Client.GetAsync("/api/library/export?format=xlsx"), HttpStatusCode.BadRequest,
            "'format' must be csv or json (got 'xlsx')");
        await ProblemAssert.IsProblemAsync(await user.Client.GetAsync("/api/library/features?sort=colour"), HttpStatusCode.BadRequest, "'sort' must be one of");
        await ProblemAssert.IsProblemAsync(await user.Client.GetAsync("/api/library?playlist=not-an-id!"), HttpStatusCode.BadRequest, "Spotify playlist id");
        await ProblemAssert.IsProblemAsync(await user.Client.GetAsync("/api/library?playlist=37i9dQZF1DXcBWIGoYBM5M"), HttpStatusCode.NotFound,
            "GET /api/playlists");
    }

    [Fact]
    public async Task Synced_playlists_are_listed_and_filter_the_library_to_their_tracks()
    {
        var user = server.AddUser(30);
        await SyncApi.SyncAndWaitAsync(user.Client, "playlists");

        var listed = (await SyncApi.GetJsonAsync(user.Client, "/api/playlists")).GetProperty("playlists").EnumerateArray().ToList();
        Assert.Equal(user.Upstream.Playlists.Select(p => p.Id).Order(), listed.Select(p => p.GetProperty("id").GetString()!).Order());
        foreach (var playlist in user.Upstream.Playlists)
        {
            var expected = playlist.Items.Where(i => i.Kind == SavedItemKind.Track).Select(i => i.Id!).Distinct().ToList();
            var entry = listed.Single(p => p.GetProperty("id").GetString() == playlist.Id);
            Assert.Equal(playlist.Name, entry.GetProperty("name").GetString());
            Assert.Equal(expected.Count, entry.GetProperty("trackCount").GetInt32());

            var tracks = await AllPagesAsync(user.Client, "playlist=" + playlist.Id);
            Assert.Equal(expected.Order(), tracks.Select(Id).Order());
            var features = await SyncApi.GetJsonAsync(user.Client, "/api/library/features?playlist=" + playlist.Id);
            Assert.Equal(expected.Count, features.Int("total"));
        }
        // The saved list is not the playlists: this sync brought none.
        Assert.Equal(0, (await SyncApi.GetJsonAsync(user.Client, "/api/library")).Int("total"));
    }

    [Fact]
    public async Task Another_users_library_playlists_and_export_are_never_visible()
    {
        var owner = server.AddUser(40);
        var other = server.AddUser(40);
        await SyncApi.SyncAndWaitAsync(owner.Client, "all");
        await SyncApi.SyncAndWaitAsync(other.Client, "saved");
        var ownerTracks = await AllPagesAsync(owner.Client, "");
        var otherTracks = await AllPagesAsync(other.Client, "");
        Assert.Empty(ownerTracks.Select(Id).Intersect(otherTracks.Select(Id)));

        var ownersName = Name(ownerTracks[0]);
        var searched = await AllPagesAsync(other.Client, "q=" + Uri.EscapeDataString(ownersName));
        Assert.DoesNotContain(Id(ownerTracks[0]), searched.Select(Id));
        Assert.Empty((await SyncApi.GetJsonAsync(other.Client, "/api/playlists")).GetProperty("playlists").EnumerateArray());
        await ProblemAssert.IsProblemAsync(await other.Client.GetAsync("/api/library?playlist=" + owner.Upstream.Playlists[0].Id),
            HttpStatusCode.NotFound, "No playlist");

        var csv = LibraryCsv.Parse(await DownloadAsync(other.Client, "/api/library/export?format=csv", "text/csv"));
        Assert.Equal(otherTracks.Select(t => "spotify:track:" + Id(t)).Order(), csv.Select(r => r["Track URI"]).Order());
        var features = await SyncApi.GetJsonAsync(other.Client, "/api/library/features");
        Assert.Equal(otherTracks.Select(Id).Order(), features.GetProperty("ids").EnumerateArray().Select(i => i.GetString()!).Order());
    }

    [Fact]
    public async Task Export_has_one_row_per_track_with_the_values_the_track_api_returns()
    {
        var user = server.AddUser(70, SpotifyLibraryQuirks.Realistic);
        var spotify = server.Emulator.State.Spotify;
        var previous = spotify.Settings;
        // Outside Development Mode tracks carry popularity, so that column is compared too.
        spotify.Settings = previous with { DevelopmentMode = false };
        try
        {
            await SyncApi.SyncAndWaitAsync(user.Client, "saved");
        }
        finally
        {
            spotify.Settings = previous;
        }
        var library = await AllPagesAsync(user.Client, "");

        var response = await user.Client.GetAsync("/api/library/export?format=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var rows = LibraryCsv.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(library.Select(t => "spotify:track:" + Id(t)).ToList(), rows.Select(r => r["Track URI"]).ToList());

        var withPopularity = 0;
        var fromTrackApi = 0;
        foreach (var row in rows)
        {
            var id = row["Track URI"]["spotify:track:".Length..];
            // A track SoundCharts does not know is a 404 there; its object is then the one the listing shows.
            using var single = await user.Client.GetAsync($"/api/tracks/{id}");
            var track = single.StatusCode == HttpStatusCode.OK
                ? JsonDocument.Parse(await single.Content.ReadAsStringAsync()).RootElement.GetProperty("track").Clone()
                : library.Single(t => Id(t) == id);
            fromTrackApi += single.StatusCode == HttpStatusCode.OK ? 1 : 0;
            Assert.Equal(Name(track), row["Track Name"]);
            Assert.Equal(string.Join(", ", Artists(track)), row["Artist Name(s)"]);
            Assert.Equal(track.GetProperty("album").GetProperty("name").GetString(), row["Album Name"]);
            Assert.Equal(track.GetProperty("album").GetProperty("release_date").GetString(), row["Release Date"]);
            Assert.Equal(library.Single(t => Id(t) == id).GetProperty("addedAt").GetDateTimeOffset(),
                DateTimeOffset.Parse(row["Added At"], CultureInfo.InvariantCulture));
            Assert.Equal(track.GetProperty("duration_ms").GetInt64().ToString(CultureInfo.InvariantCulture), row["Duration (ms)"]);
            Assert.Equal(track.GetProperty("explicit").GetBoolean() ? "true" : "false", row["Explicit"]);
            if (track.TryGetProperty("popularity", out var popularity))
            {
                Assert.Equal(popularity.GetInt64().ToString(CultureInfo.InvariantCulture), row["Popularity"]);
                withPopularity++;
            }
            var audio = track.GetProperty("audioFeatures");
            foreach (var (column, field) in new[]
            {
                ("Danceability", "danceability"), ("Energy", "energy"), ("Key", "key"), ("Loudness", "loudness"), ("Mode", "mode"),
                ("Speechiness", "speechiness"), ("Acousticness", "acousticness"), ("Instrumentalness", "instrumentalness"),
                ("Liveness", "liveness"), ("Valence", "valence"), ("Tempo", "tempo"), ("Time Signature", "timeSignature"),
            })
            {
                if (audio.ValueKind == JsonValueKind.Null || audio.GetProperty(field).ValueKind == JsonValueKind.Null)
                {
                    Assert.Equal("", row[column]);
                }
                else
                {
                    Assert.Equal(audio.GetProperty(field).GetDouble(), double.Parse(row[column], CultureInfo.InvariantCulture));
                }
            }
        }
        Assert.True(withPopularity > 0);
        Assert.True(fromTrackApi > rows.Count * 3 / 4, $"{fromTrackApi} of {rows.Count} compared with GET /api/tracks/{{id}}");
        Assert.Contains(rows, r => r["Tempo"] == "");

        var json = JsonDocument.Parse(await DownloadAsync(user.Client, "/api/library/export?format=json", "application/json")).RootElement;
        var exported = json.GetProperty("tracks").EnumerateArray().ToList();
        Assert.Equal(rows.Select(r => r["Track URI"]), exported.Select(t => t.GetProperty("uri").GetString()));
        var first = exported.First(t => t.GetProperty("audioFeatures").ValueKind != JsonValueKind.Null);
        var api = (await SyncApi.GetJsonAsync(user.Client, $"/api/tracks/{Id(first)}")).GetProperty("track");
        Assert.Equal(api.GetProperty("audioFeatures").ToString(), first.GetProperty("audioFeatures").ToString());
    }

    [Fact]
    public async Task Rows_stored_before_the_search_columns_are_back_filled_from_their_payload()
    {
        var user = server.AddUser(3);
        var id = await AddTrackAsync(user.UserId, "Ünder the Pier", ["Zoë Quay"]);
        var db = server.Services.GetRequiredService<ReadModelDatabase>();
        // As a database written before track_search existed has it.
        await db.ExecuteAsync("DELETE FROM track_search WHERE spotify_id = @id", [("@id", id)]);
        Assert.Equal(0, (await SyncApi.GetJsonAsync(user.Client, "/api/library?q=zo%C3%AB")).Int("total"));

        Assert.True(await server.Services.GetRequiredService<TrackStore>().BackfillSearchColumnsAsync() >= 1);

        var found = await SyncApi.GetJsonAsync(user.Client, "/api/library?q=ZO%C3%8B");
        Assert.Equal(id, Assert.Single(found.GetProperty("tracks").EnumerateArray()).GetProperty("id").GetString());
        var csv = LibraryCsv.Parse(await DownloadAsync(user.Client, "/api/library/export", "text/csv"));
        Assert.Equal("Album, \"quoted\"", Assert.Single(csv)["Album Name"]);
    }

    /// <summary>Stores a saved track with these names through the real projection (track grain and library store).</summary>
    private async Task<string> AddTrackAsync(string userId, string name, string[] artists)
    {
        var id = TestIds.Track();
        var json = JsonSerializer.Serialize(new
        {
            id,
            name,
            type = "track",
            duration_ms = 201_000,
            @explicit = false,
            artists = artists.Select((a, i) => new { id = TestIds.Track(), name = a }),
            album = new { name = "Album, \"quoted\"", release_date = "1999-12-31" },
        });
        await server.Services.GetRequiredService<IGrainFactory>().GetGrain<ITrackGrain>(id).SetSpotifyDataAsync(json);
        await server.Services.GetRequiredService<LibraryStore>().UpsertAsync(userId, [(id, DateTimeOffset.UtcNow)]);
        return id;
    }

    private static async Task<List<JsonElement>> AllPagesAsync(HttpClient client, string query)
    {
        var all = new List<JsonElement>();
        for (var offset = 0; ; offset += 200)
        {
            var page = await SyncApi.GetJsonAsync(client, $"/api/library?limit=200&offset={offset}&{query}");
            var tracks = page.GetProperty("tracks").EnumerateArray().ToList();
            all.AddRange(tracks);
            if (tracks.Count < 200)
            {
                Assert.Equal(all.Count, page.Int("total"));
                return all;
            }
        }
    }

    private static async Task<string> DownloadAsync(HttpClient client, string url, string mediaType)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}: {body}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        return body;
    }

    private static string Id(JsonElement track) => track.GetProperty("id").GetString()!;

    private static string Name(JsonElement track) => track.GetProperty("name").GetString()!;

    private static string[] Artists(JsonElement track) =>
        track.GetProperty("artists").EnumerateArray().Select(a => a.GetProperty("name").GetString()!).ToArray();

    private static double? Tempo(JsonElement track) =>
        track.GetProperty("audioFeatures") is { ValueKind: JsonValueKind.Object } audio && audio.GetProperty("tempo") is { ValueKind: JsonValueKind.Number } tempo
            ? tempo.GetDouble()
            : null;
}

public sealed class LibraryQueryTestsOnSqlite(SyncFixture server) : LibraryQueryTests<SyncFixture>(server);

public sealed class LibraryQueryTestsOnPostgres(SyncFixtureOnPostgres server) : LibraryQueryTests<SyncFixtureOnPostgres>(server);
