using System.Text.Json;
using TrackGrains.Grains.ReadModel;

namespace TrackGrains.WebGateway.Rendering;

/// <summary>
/// A track as Spotify's own endpoints answered it: the stored Spotify track object, byte for byte. A track
/// only SoundCharts knows (asked for by id, never synced) has no such object; it gets the fields a program
/// reads first (id, name, uri, href, duration, explicit, ISRC, artists), in Spotify's names and types.
/// </summary>
public static class SpotifyTrackObject
{
    public static void Write(Utf8JsonWriter w, TrackSummary track)
    {
        if (track.SpotifyJson is { } json)
        {
            w.WriteRawValue(json);
            return;
        }
        w.WriteStartObject();
        w.WriteStartArray("artists");
        foreach (var (id, name) in Artists(track.ArtistsJson))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("name", name);
            w.WriteString("type", "artist");
            w.WriteString("uri", id is null ? null : $"spotify:artist:{id}");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (track.DurationMs is { } duration)
        {
            w.WriteNumber("duration_ms", duration);
        }
        else
        {
            w.WriteNull("duration_ms");
        }
        if (track.Explicit is { } isExplicit)
        {
            w.WriteBoolean("explicit", isExplicit);
        }
        else
        {
            w.WriteNull("explicit");
        }
        w.WriteStartObject("external_ids");
        if (track.Isrc is { } isrc)
        {
            w.WriteString("isrc", isrc);
        }
        w.WriteEndObject();
        w.WriteString("href", $"https://api.spotify.com/v1/tracks/{track.Id}");
        w.WriteString("id", track.Id);
        w.WriteBoolean("is_local", false);
        w.WriteString("name", track.Name);
        w.WriteString("type", "track");
        w.WriteString("uri", $"spotify:track:{track.Id}");
        w.WriteEndObject();
    }

    private static IEnumerable<(string? Id, string? Name)> Artists(string? artistsJson)
    {
        if (artistsJson is null)
        {
            return [];
        }
        using var document = JsonDocument.Parse(artistsJson);
        return document.RootElement.ValueKind != JsonValueKind.Array
            ? []
            : document.RootElement.EnumerateArray()
                .Where(a => a.ValueKind == JsonValueKind.Object)
                .Select(a => (Text(a, "id"), Text(a, "name")))
                .ToList();
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
