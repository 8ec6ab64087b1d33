using System.Text.Json;
using TrackGrains.Grains.Json;
using TrackGrains.Grains.Interfaces.Tracks;

namespace TrackGrains.Grains.SoundCharts;

/// <summary>
/// Reads a SoundCharts song body tolerantly: any field may be missing, null or of an odd type,
/// the audio block may be absent, and unknown fields are ignored.
/// </summary>
public static class SongParser
{
    /// <summary>Returns null when the body is not a usable song document.</summary>
    public static SongFacts? TryParse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("object", out var song)
                || song.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            return Read(song);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static SongFacts Read(JsonElement song)
    {
        string? isrc = null;
        if (song.TryGetProperty("isrc", out var isrcElement))
        {
            isrc = isrcElement.ValueKind switch
            {
                JsonValueKind.Object => JsonFields.String(isrcElement, "value"),
                JsonValueKind.String => isrcElement.GetString(),
                _ => null,
            };
        }

        AudioFeatures? audio = null;
        if (song.TryGetProperty("audio", out var a) && a.ValueKind == JsonValueKind.Object)
        {
            audio = new AudioFeatures
            {
                Acousticness = JsonFields.Number(a, "acousticness"),
                Danceability = JsonFields.Number(a, "danceability"),
                Energy = JsonFields.Number(a, "energy"),
                Instrumentalness = JsonFields.Number(a, "instrumentalness"),
                Key = JsonFields.Integer(a, "key"),
                Liveness = JsonFields.Number(a, "liveness"),
                Loudness = JsonFields.Number(a, "loudness"),
                Mode = JsonFields.Integer(a, "mode"),
                Speechiness = JsonFields.Number(a, "speechiness"),
                Tempo = JsonFields.Number(a, "tempo"),
                TimeSignature = JsonFields.Integer(a, "timeSignature"),
                Valence = JsonFields.Number(a, "valence"),
            };
        }

        return new SongFacts(
            JsonFields.String(song, "uuid"),
            JsonFields.String(song, "name"),
            isrc,
            JsonFields.Integer(song, "duration"),
            JsonFields.Boolean(song, "explicit"),
            audio);
    }
}
