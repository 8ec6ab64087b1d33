using System.Text.Json;
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
                JsonValueKind.Object => String(isrcElement, "value"),
                JsonValueKind.String => isrcElement.GetString(),
                _ => null,
            };
        }

        AudioFeatures? audio = null;
        if (song.TryGetProperty("audio", out var a) && a.ValueKind == JsonValueKind.Object)
        {
            audio = new AudioFeatures
            {
                Acousticness = Number(a, "acousticness"),
                Danceability = Number(a, "danceability"),
                Energy = Number(a, "energy"),
                Instrumentalness = Number(a, "instrumentalness"),
                Key = Integer(a, "key"),
                Liveness = Number(a, "liveness"),
                Loudness = Number(a, "loudness"),
                Mode = Integer(a, "mode"),
                Speechiness = Number(a, "speechiness"),
                Tempo = Number(a, "tempo"),
                TimeSignature = Integer(a, "timeSignature"),
                Valence = Number(a, "valence"),
            };
        }

        return new SongFacts(
            String(song, "uuid"),
            String(song, "name"),
            isrc,
            Integer(song, "duration"),
            song.TryGetProperty("explicit", out var e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : null,
            audio);
    }

    private static string? String(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDouble(out var d) && double.IsFinite(d) => d,
            JsonValueKind.String when double.TryParse(value.GetString(), System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out var s) && double.IsFinite(s) => s,
            _ => null,
        };
    }

    private static int? Integer(JsonElement parent, string name)
    {
        var number = Number(parent, name);
        return number is { } n && n >= int.MinValue && n <= int.MaxValue ? (int)Math.Round(n) : null;
    }
}
