using System.Text.Json;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Tests.Infrastructure;

namespace TrackGrains.Tests.AudioFeatures;

/// <summary>What the audio-features compatibility tests (over HTTP and through Spotify's SDK) check of an answer.</summary>
public static class SpotifyAudioFeaturesAssert
{
    public static readonly string[] SpotifyFields =
    [
        "danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness", "instrumentalness", "liveness",
        "valence", "tempo", "type", "id", "uri", "track_href", "analysis_url", "duration_ms", "time_signature",
    ];

    /// <summary>Spotify's audio-features object, field for field and in Spotify's order, with the emulator's SoundCharts values.</summary>
    public static void MatchesEmulator(SoundChartsCatalogue catalogue, string id, JsonElement features)
    {
        Assert.Equal(SpotifyFields, features.EnumerateObject().Select(p => p.Name));
        var song = catalogue.GetSong(id);
        var audio = song.Audio!;
        Assert.Equal(audio.Danceability, features.GetProperty("danceability").GetDouble());
        Assert.Equal(audio.Energy, features.GetProperty("energy").GetDouble());
        Assert.Equal(audio.Key, features.GetProperty("key").GetInt32());
        Assert.Equal(audio.Loudness, features.GetProperty("loudness").GetDouble());
        Assert.Equal(audio.Mode, features.GetProperty("mode").GetInt32());
        Assert.Equal(audio.Speechiness, features.GetProperty("speechiness").GetDouble());
        if (audio.Acousticness is { } acousticness)
        {
            Assert.Equal(acousticness, features.GetProperty("acousticness").GetDouble());
        }
        else
        {
            // SoundCharts left it out (real answers have): Spotify's field stays, as null.
            Assert.Equal(JsonValueKind.Null, features.GetProperty("acousticness").ValueKind);
        }
        Assert.Equal(audio.Instrumentalness, features.GetProperty("instrumentalness").GetDouble());
        Assert.Equal(audio.Liveness, features.GetProperty("liveness").GetDouble());
        Assert.Equal(audio.Valence, features.GetProperty("valence").GetDouble());
        Assert.Equal(audio.Tempo, features.GetProperty("tempo").GetDouble());
        Assert.Equal("audio_features", features.GetProperty("type").GetString());
        Assert.Equal(id, features.GetProperty("id").GetString());
        Assert.Equal($"spotify:track:{id}", features.GetProperty("uri").GetString());
        Assert.Equal($"https://api.spotify.com/v1/tracks/{id}", features.GetProperty("track_href").GetString());
        Assert.Equal($"https://api.spotify.com/v1/audio-analysis/{id}", features.GetProperty("analysis_url").GetString());
        // Only SoundCharts knows these tracks here, so the duration is SoundCharts' (seconds) in milliseconds.
        Assert.Equal(song.Duration * 1000, features.GetProperty("duration_ms").GetInt32());
        Assert.Equal(audio.TimeSignature, features.GetProperty("time_signature").GetInt32());
    }

    /// <summary>The catalogue is a pure function of the id: look for a fresh id of the kind needed (about 3 % lack audio).</summary>
    public static string FindTrack(SoundChartsCatalogue catalogue, bool audio)
    {
        while (true)
        {
            var id = TestIds.Track();
            if (catalogue.GetSong(id).Audio is not null == audio)
            {
                return id;
            }
        }
    }
}
