using System.Text.Json;
using TrackGrains.Tests.Infrastructure;

using TrackGrains.Tests.AudioFeatures;

namespace TrackGrains.Tests.Compat;

/// <summary>
/// GET /v1/audio-features through Spotify's official TypeScript SDK (tracks.audioFeatures), its fetch pointed at the
/// gateway: what the SDK returns carries the emulator's SoundCharts values, and its errors surface ours.
/// </summary>
public sealed class AudioFeaturesSdkTests(SdkGatewayFixture server) : IClassFixture<SdkGatewayFixture>
{
    [Fact]
    public async Task Sdk_reads_one_track_and_several_tracks_with_the_SoundCharts_values()
    {
        var single = TrackWithAudio();
        var several = new[] { TrackWithAudio(), TrackWithAudio(), TrackWithoutAudio(), TrackWithAudio() };

        var outcomes = await server.SdkAsync(GatewayFixture.UserToken,
            new SdkCall("tracks.audioFeatures", [single]),
            new SdkCall("tracks.audioFeatures", [several]));

        AssertMatchesEmulator(single, outcomes[0].Value);
        Assert.EndsWith($"/v1/audio-features/{single}", Assert.Single(outcomes[0].Urls));

        // The SDK unwraps audio_features: one entry per id in request order, null where SoundCharts has no audio.
        var entries = outcomes[1].Value.EnumerateArray().ToList();
        Assert.Equal(several.Length, entries.Count);
        for (var i = 0; i < several.Length; i++)
        {
            if (server.Emulator.State.Catalogue.GetSong(several[i]).Audio is null)
            {
                Assert.Equal(JsonValueKind.Null, entries[i].ValueKind);
            }
            else
            {
                AssertMatchesEmulator(several[i], entries[i]);
            }
        }
        // The SDK sends the ids as one comma-joined value (URL-encoded), which the server must read as a list.
        Assert.EndsWith($"/v1/audio-features?ids={string.Join("%2C", several)}", Assert.Single(outcomes[1].Urls));
    }

    [Fact]
    public async Task Sdk_surfaces_a_bad_id_as_an_error_carrying_our_400_problem()
    {
        var outcome = Assert.Single(await server.SdkAsync(GatewayFixture.UserToken, new SdkCall("tracks.audioFeatures", [new[] { TestIds.Track(), "abc-not-an-id" }])));

        Assert.Null(outcome.Result);
        Assert.Equal(400, outcome.Status);
        Assert.Contains("400", outcome.Error);
        Assert.Contains("'abc-not-an-id'", outcome.Error);
    }

    [Fact]
    public async Task Sdk_surfaces_an_invalid_or_missing_token_as_its_401_error()
    {
        var id = TrackWithAudio();
        var outcomes = await server.SdkAsync("not-a-token-anyone-issued",
            new SdkCall("tracks.audioFeatures", [id]),
            new SdkCall("tracks.audioFeatures", [new[] { id }]),
            new SdkCall("tracks.audioFeatures", [id]) { WithoutAuthorization = true });

        Assert.All(outcomes, outcome =>
        {
            Assert.Null(outcome.Result);
            Assert.Equal(401, outcome.Status);
            // The SDK's own message for a 401: the caller is told to sign in again.
            Assert.StartsWith("Bad or expired token", outcome.Error);
        });
        // Refused before any work: SoundCharts was never asked.
        Assert.Equal(0, server.Emulator.State.SoundCharts.Counters.CallsForTrack(id));
    }

    private void AssertMatchesEmulator(string id, JsonElement features) =>
        SpotifyAudioFeaturesAssert.MatchesEmulator(server.Emulator.State.Catalogue, id, features);

    private string TrackWithAudio() => SpotifyAudioFeaturesAssert.FindTrack(server.Emulator.State.Catalogue, audio: true);

    private string TrackWithoutAudio() => SpotifyAudioFeaturesAssert.FindTrack(server.Emulator.State.Catalogue, audio: false);
}
