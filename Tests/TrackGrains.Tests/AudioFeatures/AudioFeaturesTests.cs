using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.AudioFeatures;

public sealed class AudioFeaturesTests(GatewayFixture server) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Single_track_answers_in_Spotify_shape_with_the_SoundCharts_values()
    {
        var id = TrackWithAudio();
        var features = await server.User.GetFromJsonAsync<JsonElement>($"/v1/audio-features/{id}");
        AssertMatchesEmulator(id, features);
    }

    [Fact]
    public async Task Several_tracks_answer_in_request_order_with_null_for_unknown_ones()
    {
        var known = TrackWithAudio();
        var other = TrackWithAudio();
        var notFound = TestIds.Track();
        var gone = TestIds.Track();
        var noAudio = TrackWithoutAudio();
        server.Emulator.State.SoundCharts.SetAvailability(notFound, SongAvailability.NotFound);
        server.Emulator.State.SoundCharts.SetAvailability(gone, SongAvailability.Gone);

        string[] ids = [known, notFound, other, gone, known, noAudio];
        var body = await server.User.GetFromJsonAsync<JsonElement>($"/v1/audio-features?ids={string.Join(',', ids)}");

        Assert.Equal(["audio_features"], body.EnumerateObject().Select(p => p.Name));
        var entries = body.GetProperty("audio_features").EnumerateArray().ToList();
        Assert.Equal(ids.Length, entries.Count);
        AssertMatchesEmulator(known, entries[0]);
        Assert.Equal(JsonValueKind.Null, entries[1].ValueKind);
        AssertMatchesEmulator(other, entries[2]);
        Assert.Equal(JsonValueKind.Null, entries[3].ValueKind);
        AssertMatchesEmulator(known, entries[4]);
        Assert.Equal(JsonValueKind.Null, entries[5].ValueKind);
        // A repeated id is looked up once.
        Assert.Equal(1, server.Emulator.State.SoundCharts.Counters.CallsForTrack(known));
    }

    [Fact]
    public async Task One_hundred_ids_are_served_and_one_hundred_and_one_are_refused()
    {
        var ids = TestIds.Tracks(100);
        var body = await server.User.GetFromJsonAsync<JsonElement>($"/v1/audio-features?ids={string.Join(',', ids)}");
        var entries = body.GetProperty("audio_features").EnumerateArray().ToList();
        Assert.Equal(100, entries.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            if (server.Emulator.State.Catalogue.GetSong(ids[i]).Audio is null)
            {
                Assert.Equal(JsonValueKind.Null, entries[i].ValueKind);
            }
            else
            {
                AssertMatchesEmulator(ids[i], entries[i]);
            }
        }

        using var tooMany = await server.User.GetAsync($"/v1/audio-features?ids={string.Join(',', TestIds.Tracks(101))}");
        await ProblemAssert.IsProblemAsync(tooMany, HttpStatusCode.BadRequest, "at most 100");
    }

    [Fact]
    public async Task Invalid_ids_are_refused_naming_the_bad_value()
    {
        using var inList = await server.User.GetAsync($"/v1/audio-features?ids={TestIds.Track()},abc-not-an-id");
        await ProblemAssert.IsProblemAsync(inList, HttpStatusCode.BadRequest, "'abc-not-an-id'");

        using var single = await server.User.GetAsync("/v1/audio-features/short");
        await ProblemAssert.IsProblemAsync(single, HttpStatusCode.BadRequest, "'short'");

        using var missing = await server.User.GetAsync("/v1/audio-features");
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.BadRequest, "?ids=");

        using var empty = await server.User.GetAsync("/v1/audio-features?ids=");
        await ProblemAssert.IsProblemAsync(empty, HttpStatusCode.BadRequest, "?ids=");
    }

    [Fact]
    public async Task Unknown_single_track_is_a_404_problem()
    {
        var notFound = TestIds.Track();
        server.Emulator.State.SoundCharts.SetAvailability(notFound, SongAvailability.NotFound);
        using var response = await server.User.GetAsync($"/v1/audio-features/{notFound}");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, notFound);

        using var noAudio = await server.User.GetAsync($"/v1/audio-features/{TrackWithoutAudio()}");
        await ProblemAssert.IsProblemAsync(noAudio, HttpStatusCode.NotFound, "no audio features");
    }

    [Fact]
    public async Task Audio_features_need_a_user_or_the_admin()
    {
        var id = TrackWithAudio();
        using var anonymous = await server.Anonymous.GetAsync($"/v1/audio-features/{id}");
        await ProblemAssert.IsProblemAsync(anonymous, HttpStatusCode.Unauthorized, "Bearer");
        using var anonymousMany = await server.Anonymous.GetAsync($"/v1/audio-features?ids={id}");
        await ProblemAssert.IsProblemAsync(anonymousMany, HttpStatusCode.Unauthorized, "Bearer");

        using var admin = await server.Admin.GetAsync($"/v1/audio-features/{id}");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    private void AssertMatchesEmulator(string id, JsonElement features) =>
        SpotifyAudioFeaturesAssert.MatchesEmulator(server.Emulator.State.Catalogue, id, features);

    private string TrackWithAudio() => SpotifyAudioFeaturesAssert.FindTrack(server.Emulator.State.Catalogue, audio: true);

    private string TrackWithoutAudio() => SpotifyAudioFeaturesAssert.FindTrack(server.Emulator.State.Catalogue, audio: false);
}
