using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Grains.ReadModel;
using TrackGrains.Tests.Infrastructure;
using TrackGrains.Tests.Sync;

namespace TrackGrains.Tests.Recommendations;

/// <summary>
/// GET /v1/recommendations over HTTP against a catalogue of a few hundred enriched tracks, checked against
/// the pool as the database holds it: filters, targets, exclusions, sizes, scope, seeds, freshness, errors.
/// </summary>
public abstract class RecommendationTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : RecommendationFixture
{
    [Fact]
    public async Task Every_pick_passes_every_filter_and_the_sizes_count_the_pool()
    {
        var seeds = await SeedsWithAudioAsync(2);
        var body = await GetAsync($"seed_tracks={string.Join(',', seeds)}&limit=100&min_energy=0.3&max_energy=0.8&min_tempo=80&max_tempo=150&max_speechiness=0.5");
        var pool = await server.PoolAsync();

        var picks = Ids(body);
        Assert.NotEmpty(picks);
        var byId = pool.ToDictionary(t => t.Id);
        foreach (var id in picks)
        {
            var track = byId[id];
            Assert.InRange(track["energy"]!.Value, 0.3, 0.8);
            Assert.InRange(track["tempo"]!.Value, 80, 150);
            Assert.InRange(track["speechiness"]!.Value, 0, 0.5);
        }
        // The sizes are the pool's, as the database holds it: without the seeds, after the filters, per recording.
        var initial = pool.Where(t => !seeds.Contains(t.Id)).ToList();
        var filtered = initial.Where(t => t["energy"] is >= 0.3 and <= 0.8 && t["tempo"] is >= 80 and <= 150 && t["speechiness"] is <= 0.5).ToList();
        Assert.True(filtered.Count < initial.Count, "the filters should leave some tracks out");
        var seedEntries = body.GetProperty("seeds").EnumerateArray().ToList();
        Assert.Equal(seeds, seedEntries.Select(s => s.GetProperty("id").GetString()));
        foreach (var seed in seedEntries)
        {
            Assert.Equal(["afterFilteringSize", "afterRelinkingSize", "href", "id", "initialPoolSize", "type"], seed.EnumerateObject().Select(p => p.Name));
            Assert.Equal("TRACK", seed.GetProperty("type").GetString());
            Assert.Equal($"https://api.spotify.com/v1/tracks/{seed.GetProperty("id").GetString()}", seed.GetProperty("href").GetString());
            Assert.Equal(initial.Count, seed.GetProperty("initialPoolSize").GetInt32());
            Assert.Equal(filtered.Count, seed.GetProperty("afterFilteringSize").GetInt32());
            Assert.Equal(filtered.Select(t => t.Isrc ?? t.Id).Distinct().Count(), seed.GetProperty("afterRelinkingSize").GetInt32());
        }
        Assert.Equal(Math.Min(100, filtered.Count), picks.Count);
    }

    [Fact]
    public async Task Targets_pull_the_picks_toward_them()
    {
        var seed = (await SeedsWithAudioAsync(1))[0];
        var pool = (await server.PoolAsync()).Where(t => t.Id != seed).ToList();
        foreach (var (attribute, target) in new[] { ("energy", 0.95), ("tempo", 175.0), ("valence", 0.1) })
        {
            var body = await GetAsync($"seed_tracks={seed}&limit=20&min_danceability=0.2&target_{attribute}={target.ToString(CultureInfo.InvariantCulture)}");
            var picks = Ids(body).Select(id => pool.Single(t => t.Id == id)).ToList();
            Assert.Equal(20, picks.Count);
            var filteredPool = pool.Where(t => t["danceability"] >= 0.2).ToList();
            var picked = picks.Average(t => Math.Abs(t[attribute]!.Value - target));
            var overall = filteredPool.Where(t => t[attribute] is not null).Average(t => Math.Abs(t[attribute]!.Value - target));
            Assert.True(picked < overall * 0.75, $"target_{attribute}={target}: the picks are {picked:0.###} from it on average, the filtered pool {overall:0.###}");
        }
    }

    [Fact]
    public async Task Picks_are_the_nearest_by_the_documented_distance_and_the_same_every_time()
    {
        var seed = (await SeedsWithAudioAsync(1))[0];
        var pool = await server.PoolAsync();
        var seedTrack = pool.Single(t => t.Id == seed);
        var first = Ids(await GetAsync($"seed_tracks={seed}&limit=15"));
        var second = Ids(await GetAsync($"seed_tracks={seed}&limit=15"));
        Assert.Equal(first, second);

        var ranked = pool.Where(t => t.Id != seed).OrderBy(t => SeedDistance(seedTrack, t)).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
        // One pick per recording: the oracle keeps the first of each ISRC too.
        var expected = ranked.DistinctBy(t => t.Isrc ?? t.Id).Where(t => t.Isrc is null || t.Isrc != seedTrack.Isrc).Take(15).Select(t => t.Id).ToList();
        Assert.Equal(expected, first);
    }

    [Fact]
    public async Task Many_releases_of_one_recording_at_the_top_still_leave_the_next_recordings_picked()
    {
        var seed = (await SeedsWithAudioAsync(1))[0];
        var pool = await server.PoolAsync();
        var seedTrack = pool.Single(t => t.Id == seed);
        // Other tests seed with the first few catalogue tracks, and a seed's recording is what its grain knows: leave them alone.
        var seeds = (await SeedsWithAudioAsync(5)).ToHashSet();
        var nearest = pool.Where(t => !seeds.Contains(t.Id) && t.Isrc != seedTrack.Isrc)
            .OrderBy(t => SeedDistance(seedTrack, t)).ThenBy(t => t.Id, StringComparer.Ordinal).ToList();
        // The 30 nearest tracks become releases of one recording: more than the ranking keeps at first for a limit of 2.
        var recording = "TGDUP" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
        foreach (var track in nearest.Take(30))
        {
            await SetIsrcAsync(track.Id, recording);
        }
        var updated = await server.PoolAsync();
        var expected = updated.Where(t => t.Id != seed && t.Isrc != seedTrack.Isrc)
            .OrderBy(t => SeedDistance(seedTrack, t)).ThenBy(t => t.Id, StringComparer.Ordinal)
            .DistinctBy(t => t.Isrc ?? t.Id).Take(2).Select(t => t.Id).ToList();
        Assert.Equal(nearest[0].Id, expected[0]);

        List<string> picks = [];
        await TrackPolling.WaitUntilAsync(async () => (picks = Ids(await GetAsync($"seed_tracks={seed}&limit=2"))).SequenceEqual(expected),
            TimeSpan.FromSeconds(10), () => $"picked {string.Join(", ", picks)}, expected {string.Join(", ", expected)}");
    }

    /// <summary>
    /// docs/recommendations.md: squared differences on the nine sound axes, tempo over 120 BPM and loudness over 30 dB,
    /// each difference capped at 1; an unknown value of the track counts as 1.
    /// </summary>
    private static double SeedDistance(PoolTrack seed, PoolTrack track) => PoolTrack.Names.Take(9).Sum(name =>
    {
        var span = name switch { "tempo" => 120.0, "loudness" => 30.0, _ => 1.0 };
        if (seed[name] is not { } s)
        {
            return 0;
        }
        var d = track[name] is { } v ? Math.Min(Math.Abs(v - s) / span, 1) : 1;
        return d * d;
    });

    [Fact]
    public async Task Seeds_and_second_releases_of_a_recording_are_never_picked()
    {
        var seeds = await SeedsWithAudioAsync(3);
        var pool = await server.PoolAsync();
        // Another release of the first seed, and two releases of one recording: tracks that share an ISRC, as a
        // single and its album do. Written straight into the database, as another silo's projection would be.
        // The most energetic tracks, few enough that every one of them is a pick unless it is left out on purpose.
        var others = pool.Where(t => !seeds.Contains(t.Id) && t["energy"] is not null).OrderByDescending(t => t["energy"]).ToList();
        var threshold = others[60]["energy"]!.Value;
        var filtered = others.Where(t => t["energy"] >= threshold).ToList();
        var seedIsrc = pool.Single(t => t.Id == seeds[0]).Isrc!;
        // Tracks that are the only release of their recording so far (another test makes one recording of many).
        var releases = pool.Where(t => t.Isrc is not null).GroupBy(t => t.Isrc).ToDictionary(g => g.Key!, g => g.Count());
        var single = others.Where(t => t.Isrc is not null && releases[t.Isrc] == 1).ToList();
        var twinA = single[0];
        var twinB = single[1];
        var seedTwin = single[2];
        Assert.True(seedTwin["energy"] >= threshold);
        await SetIsrcAsync(seedTwin.Id, seedIsrc);
        await SetIsrcAsync(twinB.Id, twinA.Isrc!);

        // What the database now holds (another test may have made releases of one recording too).
        var updated = (await server.PoolAsync()).ToDictionary(t => t.Id);
        var seedIsrcs = seeds.Select(id => updated[id].Isrc).ToHashSet();
        var recordings = filtered.Select(t => updated[t.Id]).Where(t => !seedIsrcs.Contains(t.Isrc)).Select(t => t.Isrc ?? t.Id).Distinct().Count();
        Assert.True(recordings <= filtered.Count - 2);

        // The index takes the rows in within its refresh interval (200 ms here).
        var query = $"seed_tracks={string.Join(',', seeds)}&limit=100&min_energy={Invariant(threshold)}";
        JsonElement body = default;
        await TrackPolling.WaitUntilAsync(async () =>
        {
            body = await GetAsync(query);
            return body.GetProperty("seeds")[0].GetProperty("afterRelinkingSize").GetInt32() == recordings;
        }, TimeSpan.FromSeconds(10), () => $"afterRelinkingSize stayed {body.GetProperty("seeds")[0].GetProperty("afterRelinkingSize")}, expected {recordings}");

        var picks = Ids(body);
        Assert.Equal(recordings, picks.Count);
        Assert.Equal(picks.Count, picks.Distinct().Count());
        Assert.DoesNotContain(picks, seeds.Contains);
        Assert.DoesNotContain(seedTwin.Id, picks);
        // One release per recording, and none of a seed's.
        Assert.Equal(picks.Count, picks.Select(id => updated[id].Isrc ?? id).Distinct().Count());
        Assert.DoesNotContain(picks, id => seedIsrcs.Contains(updated[id].Isrc));
        Assert.True(picks.Contains(twinA.Id) || picks.Contains(twinB.Id), "a release of the shared recording");
        Assert.False(picks.Contains(twinA.Id) && picks.Contains(twinB.Id), "both releases of one recording");
        Assert.Equal(filtered.Count, body.GetProperty("seeds")[0].GetProperty("afterFilteringSize").GetInt32());
    }

    [Fact]
    public async Task A_seed_the_server_does_not_know_is_enriched_first_with_one_call()
    {
        var fresh = TestIds.TrackWithAudio(server.Emulator);
        var counters = server.Emulator.State.SoundCharts.Counters;
        var body = await GetAsync($"seed_tracks={fresh}&limit=5");
        Assert.Equal(5, Ids(body).Count);
        Assert.Equal(1, counters.CallsForTrack(fresh));
        await GetAsync($"seed_tracks={fresh}&limit=5");
        Assert.Equal(1, counters.CallsForTrack(fresh));
        Assert.DoesNotContain(fresh, Ids(body));
    }

    [Fact]
    public async Task A_track_enriched_by_this_server_is_in_the_next_answer()
    {
        var seed = (await SeedsWithAudioAsync(1))[0];
        var before = (await GetAsync($"seed_tracks={seed}")).GetProperty("seeds")[0].GetProperty("initialPoolSize").GetInt32();
        var added = TestIds.TrackWithAudio(server.Emulator);
        using (var response = await server.Admin.GetAsync($"/api/tracks/{added}"))
        {
            response.EnsureSuccessStatusCode();
        }
        var song = server.Emulator.State.Catalogue.GetSong(added).Audio!;
        var after = await GetAsync($"seed_tracks={seed}&limit=100&min_energy={Invariant(song.Energy)}&max_energy={Invariant(song.Energy)}" +
                                   $"&min_tempo={Invariant(song.Tempo)}&max_tempo={Invariant(song.Tempo)}");
        Assert.Contains(added, Ids(after));
        var grown = (await GetAsync($"seed_tracks={seed}")).GetProperty("seeds")[0].GetProperty("initialPoolSize").GetInt32();
        Assert.Equal(before + 1, grown);
    }

    [Fact]
    public async Task Library_scope_picks_only_from_the_callers_saved_tracks()
    {
        var user = server.AddUser(60);
        await SyncApi.SyncAndWaitAsync(user.Client, "saved");
        var saved = await DatabaseProbe.ColumnAsync(server.Database, "SELECT spotify_id FROM library_tracks WHERE user_id = @u", ("@u", user.UserId));
        var seed = (await SeedsWithAudioAsync(1))[0];
        var body = await GetAsync($"seed_tracks={seed}&limit=100&scope=library", user.Client);
        var picks = Ids(body);
        Assert.NotEmpty(picks);
        Assert.All(picks, id => Assert.Contains(id, saved));
        var pool = await server.PoolAsync();
        Assert.Equal(pool.Count(t => saved.Contains(t.Id)), body.GetProperty("seeds")[0].GetProperty("initialPoolSize").GetInt32());

        // The whole catalogue is larger, and the admin has no library to scope to.
        var all = await GetAsync($"seed_tracks={seed}&limit=100", user.Client);
        Assert.True(all.GetProperty("seeds")[0].GetProperty("initialPoolSize").GetInt32() > picks.Count);
        using var admin = await server.Admin.GetAsync($"/v1/recommendations?seed_tracks={seed}&scope=library");
        await ProblemAssert.IsProblemAsync(admin, HttpStatusCode.BadRequest, "scope=library");
    }

    [Fact]
    public async Task Synced_tracks_come_back_as_their_stored_Spotify_objects_and_artist_seeds_work()
    {
        var user = server.AddUser(40);
        await SyncApi.SyncAndWaitAsync(user.Client, "saved");
        var saved = await DatabaseProbe.ColumnAsync(server.Database, "SELECT spotify_id FROM library_tracks WHERE user_id = @u", ("@u", user.UserId));
        var inPool = (await server.PoolAsync()).Select(t => t.Id).ToHashSet();
        var seed = saved.First(inPool.Contains);
        var body = await GetAsync($"seed_tracks={seed}&limit=100&scope=library", user.Client);
        foreach (var track in body.GetProperty("tracks").EnumerateArray())
        {
            // What Spotify sent for the track, as the sync stored it.
            var id = track.GetProperty("id").GetString()!;
            var stored = await server.Services.GetRequiredService<TrackStore>().LoadAsync(id);
            using var document = JsonDocument.Parse(stored!.SpotifyJson!);
            Assert.True(JsonElement.DeepEquals(document.RootElement, track), $"track {id} differs from its stored Spotify object");
            Assert.Equal("track", track.GetProperty("type").GetString());
            Assert.True(track.TryGetProperty("album", out _));
        }

        // An artist seed: the artist of a synced track.
        var artist = body.GetProperty("tracks")[0].GetProperty("artists")[0].GetProperty("id").GetString()!;
        var byArtist = await GetAsync($"seed_artists={artist}&limit=10", user.Client);
        Assert.Equal(10, Ids(byArtist).Count);
        Assert.Equal("ARTIST", byArtist.GetProperty("seeds")[0].GetProperty("type").GetString());
        Assert.Equal($"https://api.spotify.com/v1/artists/{artist}", byArtist.GetProperty("seeds")[0].GetProperty("href").GetString());
        using var unknown = await user.Client.GetAsync($"/v1/recommendations?seed_artists={TestIds.Track()}");
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.BadRequest, "no stored track");
    }

    [Fact]
    public async Task A_track_only_SoundCharts_knows_is_described_in_Spotify_field_names()
    {
        var seed = (await SeedsWithAudioAsync(1))[0];
        var body = await GetAsync($"seed_tracks={seed}&limit=100");
        // The fixture's catalogue was asked for by id, never synced: no Spotify object is stored for it.
        var catalogue = body.GetProperty("tracks").EnumerateArray().Where(t => server.Catalogue.Contains(t.GetProperty("id").GetString()!)).ToList();
        Assert.NotEmpty(catalogue);
        var stored = (await server.PoolAsync()).ToDictionary(t => t.Id);
        foreach (var track in catalogue)
        {
            var id = track.GetProperty("id").GetString()!;
            var song = server.Emulator.State.Catalogue.GetSong(id);
            Assert.Equal(song.Name, track.GetProperty("name").GetString());
            Assert.Equal($"spotify:track:{id}", track.GetProperty("uri").GetString());
            Assert.Equal($"https://api.spotify.com/v1/tracks/{id}", track.GetProperty("href").GetString());
            Assert.Equal(song.Duration * 1000, track.GetProperty("duration_ms").GetInt32());
            // The ISRC as stored (other tests give some tracks another release's ISRC in the database).
            Assert.Equal(stored[id].Isrc, track.GetProperty("external_ids").GetProperty("isrc").GetString());
            Assert.Equal("track", track.GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task The_page_forms_list_and_export_the_same_picks()
    {
        var seeds = await SeedsWithAudioAsync(2);
        var query = $"seed_tracks={string.Join(',', seeds)}&limit=12&target_energy=0.7";
        var spotify = Ids(await GetAsync(query));
        var page = await SyncApi.GetJsonAsync(server.User, "/api/recommendations?" + query);
        Assert.Equal(spotify, Ids(page));
        Assert.Equal(seeds, page.GetProperty("seeds").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.All(page.GetProperty("tracks").EnumerateArray(), t => Assert.Equal("enriched", t.GetProperty("enrichment").GetProperty("status").GetString()));

        using var csv = await server.User.GetAsync("/api/recommendations/export?format=csv&" + query);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.StartsWith("trackgrains-recommendations-", csv.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(spotify.Select(id => $"spotify:track:{id}"), lines.Skip(1).Select(l => l.Split(',')[0]));

        using var badFormat = await server.User.GetAsync("/api/recommendations/export?format=xml&" + query);
        await ProblemAssert.IsProblemAsync(badFormat, HttpStatusCode.BadRequest, "csv or json");
    }

    [Theory]
    [InlineData("", "Give between 1 and 5 seeds")]
    [InlineData("seed_genres=rock", "SoundCharts gives this server no genres")]
    [InlineData("seed_tracks=tooshort", "'tooshort'")]
    [InlineData("seed_tracks={0},{1},{2},{3},{4}&seed_artists={5}", "at most 5")]
    [InlineData("seed_tracks={0},{0}", "twice")]
    [InlineData("seed_tracks={0}&limit=0", "'limit'")]
    [InlineData("seed_tracks={0}&limit=101", "'limit'")]
    [InlineData("seed_tracks={0}&min_energy=1.5", "'min_energy' must be a number from 0 to 1")]
    [InlineData("seed_tracks={0}&target_tempo=fast", "'target_tempo'")]
    [InlineData("seed_tracks={0}&max_key=12", "'max_key'")]
    [InlineData("seed_tracks={0}&target_mode=0.5", "whole number")]
    [InlineData("seed_tracks={0}&min_loudness=5", "'min_loudness'")]
    [InlineData("seed_tracks={0}&min_popularity=-1", "'min_popularity'")]
    [InlineData("seed_tracks={0}&max_duration_ms=NaN", "'max_duration_ms'")]
    [InlineData("seed_tracks={0}&min_tempo=150&max_tempo=100", "min_tempo (150) is above max_tempo (100)")]
    [InlineData("seed_tracks={0}&target_tempoo=120", "'target_tempoo' names no attribute")]
    [InlineData("seed_tracks={0}&min_energy=0.1&min_energy=0.2", "given 2 times")]
    [InlineData("seed_tracks={0}&scope=friends", "'scope'")]
    [InlineData("seed_tracks={0}&seeds=x", "'seeds' is not a parameter")]
    public async Task Bad_parameters_are_a_400_problem_that_names_them(string template, string expected)
    {
        var ids = TestIds.Tracks(6);
        var query = string.Format(CultureInfo.InvariantCulture, template, ids.Cast<object>().ToArray());
        var calls = server.Emulator.State.SoundCharts.Counters.CallsForTrack(ids[0]);
        using var response = await server.User.GetAsync("/v1/recommendations?" + query);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, expected);
        // Refused before any seed was looked up: no quota spent on a bad request.
        Assert.Equal(calls, server.Emulator.State.SoundCharts.Counters.CallsForTrack(ids[0]));
    }

    [Fact]
    public async Task Seeds_SoundCharts_does_not_know_are_a_clear_400_and_market_and_empty_seed_lists_are_accepted()
    {
        var unknown = TestIds.Track();
        server.Emulator.State.SoundCharts.SetAvailability(unknown, SongAvailability.NotFound);
        using var response = await server.User.GetAsync($"/v1/recommendations?seed_tracks={unknown}");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "None of the seeds has audio features");

        // With a usable seed beside it, the unknown one is listed and the picks come from the known one.
        var seed = (await SeedsWithAudioAsync(1))[0];
        var body = await GetAsync($"seed_tracks={unknown},{seed}&market=SE&limit=4");
        Assert.Equal(4, Ids(body).Count);
        Assert.Equal([unknown, seed], body.GetProperty("seeds").EnumerateArray().Select(s => s.GetProperty("id").GetString()));

        // Clients that send every field send the seed lists they leave empty: no genre, no artist, same picks.
        var plain = await GetAsync($"seed_tracks={seed}&limit=4");
        var padded = await GetAsync($"seed_tracks={seed}&seed_genres=&seed_artists=&limit=4");
        Assert.Equal(Ids(plain), Ids(padded));
        Assert.Equal([seed], padded.GetProperty("seeds").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Anonymous_callers_are_refused_and_the_admin_is_served()
    {
        var seed = (await SeedsWithAudioAsync(1))[0];
        foreach (var path in new[] { "/v1/recommendations", "/api/recommendations", "/api/recommendations/export" })
        {
            using var anonymous = await server.Anonymous.GetAsync($"{path}?seed_tracks={seed}");
            await ProblemAssert.IsProblemAsync(anonymous, HttpStatusCode.Unauthorized, "Bearer");
            using var wrong = await server.Client("not-a-known-token").GetAsync($"{path}?seed_tracks={seed}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using var admin = await server.Admin.GetAsync($"/v1/recommendations?seed_tracks={seed}");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    private async Task<JsonElement> GetAsync(string query, HttpClient? client = null) =>
        await SyncApi.GetJsonAsync(client ?? server.User, "/v1/recommendations?" + query);

    private static List<string> Ids(JsonElement body) =>
        body.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();

    /// <summary>Catalogue tracks that are in the pool (SoundCharts sent their audio), in a fixed order.</summary>
    private async Task<List<string>> SeedsWithAudioAsync(int count)
    {
        var pool = (await server.PoolAsync()).Select(t => t.Id).ToHashSet();
        var seeds = server.Catalogue.Where(pool.Contains).Take(count).ToList();
        Assert.Equal(count, seeds.Count);
        return seeds;
    }


    private Task SetIsrcAsync(string id, string isrc) =>
        DatabaseProbe.ExecuteAsync(server.Database, "UPDATE tracks SET isrc = @isrc, updated_at = @now WHERE spotify_id = @id",
            ("@isrc", isrc), ("@now", server.OnPostgres ? DateTime.UtcNow : DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)), ("@id", id));

    private static string Invariant(double? value) => value!.Value.ToString("R", CultureInfo.InvariantCulture);
}

public sealed class RecommendationTestsOnSqlite(RecommendationFixture server) : RecommendationTests<RecommendationFixture>(server);

public sealed class RecommendationTestsOnPostgres(RecommendationFixtureOnPostgres server) : RecommendationTests<RecommendationFixtureOnPostgres>(server);

/// <summary>A gateway loads its recommendation index after start, before anyone asks for recommendations.</summary>
public sealed class RecommendationWarmUpTests(GatewayFixture server) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task The_index_is_loaded_after_start_without_a_request()
    {
        await TrackPolling.WaitUntilAsync(() => server.Logs.Lines.Any(l => l.Contains("Recommendation index loaded", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30));
        Assert.True(server.Services.GetRequiredService<TrackGrains.Grains.Recommendations.CatalogueIndex>().IsLoaded);
    }
}
