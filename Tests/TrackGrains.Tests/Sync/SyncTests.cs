using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TrackGrains.Emulator.Spotify;
using TrackGrains.Grains.Spotify;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.Sync;

public abstract class SyncTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : SyncFixture
{
    private SpotifyState Spotify => server.Emulator.State.Spotify;

    [Fact]
    public async Task Large_library_with_every_quirk_syncs_to_completion_and_the_stats_add_up()
    {
        var quirks = SpotifyLibraryQuirks.Realistic with { NullTrackRate = 0.02, LocalFileRate = 0.02, DuplicateRate = 0.02, RelinkedRate = 0.03 };
        var user = server.AddUser(2000, quirks);
        var previous = Spotify.Settings;
        // Outside Development Mode tracks carry popularity, available_markets and linked_from: both shapes get synced.
        Spotify.Settings = previous with { DevelopmentMode = false };
        JsonElement result;
        try
        {
            result = await SyncApi.SyncAndWaitAsync(user.Client, "all");
        }
        finally
        {
            Spotify.Settings = previous;
        }

        var saved = user.Upstream.Library;
        var playlistItems = user.Upstream.Playlists.SelectMany(p => p.Items).ToList();
        var savedIds = saved.Where(i => i.Kind == SavedItemKind.Track).Select(i => i.Id!).ToHashSet();
        var allIds = savedIds.Union(playlistItems.Where(i => i.Kind == SavedItemKind.Track).Select(i => i.Id!)).ToHashSet();
        var all = saved.Concat(playlistItems).ToList();

        Assert.Equal("completed", result.GetProperty("state").GetString());
        var stats = result.GetProperty("stats");
        Assert.Equal(allIds.Count, stats.Int("total"));
        Assert.Equal(stats.Int("total"), stats.Int("cached") + stats.Int("newFromSpotify"));
        Assert.Equal(stats.Int("newFromSpotify"), stats.Int("fetchedFromSoundCharts") + stats.Int("notFound") + stats.Int("failed"));
        Assert.True(stats.Int("fetchedFromSoundCharts") > 1500, stats.ToString());
        Assert.True(stats.Int("notFound") > 0, "the fixture's SoundCharts answers some 404s");
        Assert.Equal(savedIds.Count, stats.Int("addedToLibrary"));

        var skipped = stats.GetProperty("skipped");
        Assert.Equal(all.Count(i => i.Kind == SavedItemKind.NullTrack), skipped.Int("nullTracks"));
        Assert.Equal(all.Count(i => i.Kind == SavedItemKind.LocalFile), skipped.Int("localFiles"));
        Assert.Equal(all.Count(i => i.Kind == SavedItemKind.Episode), skipped.Int("episodes"));
        Assert.Equal(all.Count(i => i.Kind == SavedItemKind.Track) - allIds.Count, skipped.Int("duplicates"));
        Assert.True(skipped.Int("nullTracks") > 0 && skipped.Int("localFiles") > 0 && skipped.Int("episodes") > 0 && skipped.Int("duplicates") > 0);
        Assert.Equal(0, skipped.Int("malformed"));
        Assert.Equal(all.Count, result.Int("progress.itemsScanned"));

        var tracks = result.GetProperty("tracks").EnumerateArray().ToList();
        Assert.Equal(allIds.Count, tracks.Count);
        Assert.Equal(allIds.Order(), tracks.Select(t => t.GetProperty("id").GetString()!).Order());

        // A duplicated saved track keeps its newest added_at: the first occurrence in Spotify's newest-first list.
        var duplicate = saved.Where(i => i.Kind == SavedItemKind.Track).GroupBy(i => i.Id).First(g => g.Count() > 1);
        var listed = tracks.Single(t => t.GetProperty("id").GetString() == duplicate.Key);
        Assert.Equal(duplicate.Max(i => i.AddedAt), listed.GetProperty("addedAt").GetDateTimeOffset());

        // A relinked track is kept under the id of the track object Spotify sent, not linked_from's.
        var relinked = saved.First(i => i.LinkedFromId is not null);
        var relinkedTrack = tracks.Single(t => t.GetProperty("id").GetString() == relinked.Id);
        Assert.Equal(relinked.LinkedFromId, relinkedTrack.GetProperty("linked_from").GetProperty("id").GetString());
        Assert.DoesNotContain(tracks, t => t.GetProperty("id").GetString() == relinked.LinkedFromId);

        var library = await SyncApi.GetJsonAsync(user.Client, "/api/library?limit=1");
        Assert.Equal(savedIds.Count, library.Int("total"));
    }

    [Fact]
    public async Task A_second_sync_reads_one_page_and_a_later_one_picks_up_exactly_the_new_tracks()
    {
        var user = server.AddUser(120);
        var first = await SyncApi.SyncAndWaitAsync(user.Client);
        Assert.Equal(120, first.Int("stats.total"));
        Assert.Equal(120, first.Int("stats.addedToLibrary"));

        var before = Spotify.Counters.CallsTo("/v1/me/tracks");
        var second = await SyncApi.SyncAndWaitAsync(user.Client);
        Assert.InRange(Spotify.Counters.CallsTo("/v1/me/tracks") - before, 1, 2);
        Assert.Equal(0, second.Int("stats.total"));
        Assert.Equal(0, second.Int("stats.addedToLibrary"));
        Assert.Empty(second.GetProperty("tracks").EnumerateArray());

        var added = Spotify.AddTracks(user.UserId, 3);
        var third = await SyncApi.SyncAndWaitAsync(user.Client);
        Assert.Equal(3, third.Int("stats.total"));
        Assert.Equal(3, third.Int("stats.addedToLibrary"));
        Assert.Equal(3, third.Int("stats.newFromSpotify"));
        Assert.Equal(added.Select(a => a.Id!).Order(), third.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).Order());

        var library = await SyncApi.GetJsonAsync(user.Client, "/api/library?limit=3");
        Assert.Equal(123, library.Int("total"));
        Assert.Equal(added.Select(a => a.Id), library.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Two_concurrent_starts_for_one_user_run_one_sync()
    {
        var user = server.AddUser(200);
        await SyncApi.GetJsonAsync(user.Client, "/api/library"); // signs the token in, so both starts race only on the sync
        var previous = Spotify.Settings;
        Spotify.Settings = previous with { Latency = TimeSpan.FromMilliseconds(25) };
        try
        {
            var before = Spotify.Counters.CallsTo("/v1/me/tracks");
            var responses = await Task.WhenAll(SyncApi.PostAsync(user.Client, "/api/sync"), SyncApi.PostAsync(user.Client, "/api/sync"));
            var ids = new List<string>();
            foreach (var response in responses)
            {
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                ids.Add(body.GetProperty("syncId").GetString()!);
                Assert.Equal($"/api/sync/{ids[^1]}", response.Headers.Location?.OriginalString);
                response.Dispose();
            }
            Assert.Equal(ids[0], ids[1]);

            var events = await SyncApi.ReadEventsAsync(user.Client, ids[0]);
            Assert.Equal("completed", events[^1].Name);
            Assert.Equal(200, events[^1].Data.Int("stats.total"));
            Assert.Equal(4, Spotify.Counters.CallsTo("/v1/me/tracks") - before);
        }
        finally
        {
            Spotify.Settings = previous;
        }
    }

    [Fact]
    public async Task The_event_stream_reports_growing_progress_and_ends_at_completion()
    {
        var user = server.AddUser(300, SpotifyLibraryQuirks.Realistic);
        await SyncApi.GetJsonAsync(user.Client, "/api/library");
        var previous = Spotify.Settings;
        Spotify.Settings = previous with { Latency = TimeSpan.FromMilliseconds(30) };
        try
        {
            using var start = await SyncApi.PostAsync(user.Client, "/api/sync", "saved");
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            var accepted = JsonDocument.Parse(await start.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("running", accepted.GetProperty("state").GetString());
            Assert.True(accepted.TryGetProperty("progress", out _));
            var syncId = accepted.GetProperty("syncId").GetString()!;

            var events = await SyncApi.ReadEventsAsync(user.Client, syncId);

            Assert.True(events.Count >= 2, $"expected progress before the end, got {events.Count} events");
            Assert.All(events[..^1], e => Assert.Equal("progress", e.Name));
            Assert.Equal("completed", events[^1].Name);
            string[] counters = ["pages", "itemsScanned", "skipped", "tracksFound", "tracksDone"];
            for (var i = 1; i < events.Count; i++)
            {
                Assert.True(events[i].Id > events[i - 1].Id);
                foreach (var counter in counters)
                {
                    Assert.True(events[i].Data.Int("progress." + counter) >= events[i - 1].Data.Int("progress." + counter),
                        $"{counter} went down between events {i - 1} and {i}");
                }
            }
            var last = events[^1].Data;
            Assert.Equal(last.Int("progress.tracksFound"), last.Int("progress.tracksDone"));
            Assert.Equal(last.Int("stats.total"), last.Int("progress.tracksDone"));
            Assert.Equal(300, last.Int("progress.itemsScanned"));

            // The stream of a finished sync is its final event alone.
            var again = await SyncApi.ReadEventsAsync(user.Client, syncId);
            Assert.Equal("completed", Assert.Single(again).Name);
        }
        finally
        {
            Spotify.Settings = previous;
        }
    }

    [Fact]
    public async Task An_expired_token_fails_the_sync_clearly_and_keeps_what_was_stored()
    {
        // One call signs the token in (/v1/me), four read pages of 50; the fifth page gets 401.
        var user = server.AddUser(500, tokenExpiresAfterCalls: 5);
        using var response = await SyncApi.PostAsync(user.Client, "/api/sync?wait=true");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("token expired", detail, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("reconnect", detail, StringComparison.OrdinalIgnoreCase);
        var syncId = problem.GetProperty("syncId").GetString()!;

        // The user is still signed in with us (the token's user is cached), so status and library answer.
        var status = await SyncApi.GetJsonAsync(user.Client, $"/api/sync/{syncId}");
        Assert.Equal("failed", status.GetProperty("state").GetString());
        Assert.Contains("reconnect", status.GetProperty("error").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(200, status.Int("stats.total"));

        var library = await SyncApi.GetJsonAsync(user.Client, "/api/library?limit=200");
        Assert.Equal(200, library.Int("total"));
        var expected = user.Upstream.Library.Take(200).Select(i => i.Id);
        Assert.Equal(expected, library.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Spotify_rate_limits_are_waited_out()
    {
        var user = server.AddUser(150);
        await SyncApi.GetJsonAsync(user.Client, "/api/library");
        var previous = Spotify.Settings;
        var limited = Spotify.Counters.RateLimited;
        Spotify.Settings = previous with { RateLimitEveryN = 2 };
        JsonElement result;
        try
        {
            result = await SyncApi.SyncAndWaitAsync(user.Client);
        }
        finally
        {
            Spotify.Settings = previous;
        }
        Assert.Equal(150, result.Int("stats.total"));
        Assert.True(Spotify.Counters.RateLimited > limited);
    }

    [Fact]
    public async Task A_full_sync_removes_the_tracks_the_user_no_longer_has()
    {
        var user = server.AddUser(60);
        await SyncApi.SyncAndWaitAsync(user.Client);
        var gone = user.Upstream.Library.Skip(10).Take(2).Select(i => i.Id!).ToList();
        Assert.Equal(2, user.Upstream.RemoveTracks(gone));

        var incremental = await SyncApi.SyncAndWaitAsync(user.Client);
        Assert.Equal(0, incremental.Int("stats.removedFromLibrary"));
        Assert.Equal(60, (await SyncApi.GetJsonAsync(user.Client, "/api/library")).Int("total"));

        var full = await SyncApi.SyncAndWaitAsync(user.Client, full: true);
        Assert.Equal(2, full.Int("stats.removedFromLibrary"));
        Assert.Equal(58, full.Int("stats.total"));
        Assert.Equal(58, full.Int("stats.cached") + full.Int("stats.notFound") + full.Int("stats.failed"));
        var library = await SyncApi.GetJsonAsync(user.Client, "/api/library?limit=200");
        Assert.Equal(58, library.Int("total"));
        Assert.DoesNotContain(library.GetProperty("tracks").EnumerateArray(), t => gone.Contains(t.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task Another_users_sync_is_not_found_and_bad_sync_requests_are_400s()
    {
        var alice = server.AddUser(5);
        var bob = server.AddUser(5);
        var sync = await SyncApi.SyncAndWaitAsync(alice.Client);
        var syncId = sync.GetProperty("syncId").GetString()!;

        await ProblemAssert.IsProblemAsync(await bob.Client.GetAsync($"/api/sync/{syncId}"), HttpStatusCode.NotFound, "no sync", StringComparison.OrdinalIgnoreCase);
        await ProblemAssert.IsProblemAsync(await bob.Client.GetAsync($"/api/sync/{syncId}/events"), HttpStatusCode.NotFound, "no sync", StringComparison.OrdinalIgnoreCase);
        Assert.Equal("completed", (await SyncApi.GetJsonAsync(alice.Client, $"/api/sync/{syncId}")).GetProperty("state").GetString());
        await ProblemAssert.IsProblemAsync(await alice.Client.GetAsync("/api/sync/not-a-sync-id"), HttpStatusCode.BadRequest, "not a sync id", StringComparison.OrdinalIgnoreCase);

        await ProblemAssert.IsProblemAsync(await SyncApi.PostAsync(alice.Client, "/api/sync", "liked"), HttpStatusCode.BadRequest, "collectionType", StringComparison.OrdinalIgnoreCase);
        await ProblemAssert.IsProblemAsync(await SyncApi.PostAsync(alice.Client, "/api/sync?full=maybe"), HttpStatusCode.BadRequest, "'full'", StringComparison.OrdinalIgnoreCase);
        await ProblemAssert.IsProblemAsync(await SyncApi.PostAsync(alice.Client, "/api/sync?wait=2"), HttpStatusCode.BadRequest, "'wait'", StringComparison.OrdinalIgnoreCase);
        await ProblemAssert.IsProblemAsync(await alice.Client.PostAsync("/api/sync", new StringContent("{\"collectionType\": 3}", System.Text.Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "not valid JSON", StringComparison.OrdinalIgnoreCase);
        await ProblemAssert.IsProblemAsync(await alice.Client.PostAsync("/api/sync", new StringContent("saved")), HttpStatusCode.UnsupportedMediaType, "application/json", StringComparison.OrdinalIgnoreCase);

        await ProblemAssert.IsProblemAsync(await server.Admin.PostAsync("/api/sync", null), HttpStatusCode.BadRequest, "Spotify access token", StringComparison.OrdinalIgnoreCase);
        await ProblemAssert.IsProblemAsync(await server.Anonymous.PostAsync("/api/sync", null), HttpStatusCode.Unauthorized, "Bearer", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Library_pages_newest_first_and_rejects_bad_paging()
    {
        var user = server.AddUser(130);
        await SyncApi.SyncAndWaitAsync(user.Client);

        var pages = new List<JsonElement>();
        foreach (var offset in new[] { 0, 50, 100, 150 })
        {
            var page = await SyncApi.GetJsonAsync(user.Client, $"/api/library?offset={offset}&limit=50");
            Assert.Equal(130, page.Int("total"));
            pages.AddRange(page.GetProperty("tracks").EnumerateArray());
        }
        Assert.Equal(user.Upstream.Library.Select(i => i.Id), pages.Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(user.Upstream.Library.Select(i => i.AddedAt), pages.Select(t => t.GetProperty("addedAt").GetDateTimeOffset()));
        Assert.All(pages, t => Assert.True(t.TryGetProperty("enrichment", out _) && t.TryGetProperty("album", out _)));

        var defaults = await SyncApi.GetJsonAsync(user.Client, "/api/library");
        Assert.Equal(50, defaults.GetProperty("tracks").GetArrayLength());
        Assert.Equal(130, (await SyncApi.GetJsonAsync(user.Client, "/api/library?limit=200")).GetProperty("tracks").GetArrayLength());

        foreach (var (query, names) in new[]
        {
            ("offset=-1", "'offset'"), ("offset=abc", "'offset'"), ("offset=99999999999", "'offset'"),
            ("limit=0", "'limit'"), ("limit=201", "'limit'"), ("limit=ten", "'limit'"), ("limit=1&limit=2", "'limit'"),
        })
        {
            await ProblemAssert.IsProblemAsync(await user.Client.GetAsync($"/api/library?{query}"), HttpStatusCode.BadRequest, names, StringComparison.OrdinalIgnoreCase);
        }
        await ProblemAssert.IsProblemAsync(await server.Admin.GetAsync("/api/library"), HttpStatusCode.BadRequest, "Spotify access token", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_client_reads_single_tracks_and_playlists_with_the_users_token()
    {
        var user = server.AddUser(3);
        var client = server.Services.GetRequiredService<SpotifyApiClient>();
        var id = user.Upstream.Library[0].Id!;

        using var track = JsonDocument.Parse(await client.GetTrackJsonAsync(user.Token, id));
        Assert.Equal(id, track.RootElement.GetProperty("id").GetString());
        Assert.False(track.RootElement.TryGetProperty("popularity", out _), "Development Mode tracks have no popularity");

        var playlists = await client.GetPlaylistsAsync(user.Token, 0);
        Assert.Equal(user.Upstream.Playlists.Select(p => p.Id), playlists.Items.Select(p => p.Id));
        var items = await client.GetPlaylistTracksAsync(user.Token, playlists.Items[0].Id, 0);
        Assert.Equal(user.Upstream.Playlists[0].Items.Count, items.Items.Count);

        var expired = await Assert.ThrowsAsync<SpotifyApiException>(() => client.GetSavedTracksAsync("not-a-token", 0));
        Assert.True(expired.TokenRejected);
    }
}

public sealed class SyncTestsOnSqlite(SyncFixture server) : SyncTests<SyncFixture>(server);

public sealed class SyncTestsOnPostgres(SyncFixtureOnPostgres server) : SyncTests<SyncFixtureOnPostgres>(server);
