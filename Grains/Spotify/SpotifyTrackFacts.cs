using System.Text.Json;

namespace TrackGrains.Grains.Spotify;

/// <summary>The denormalised columns taken from a Spotify track object; every field is optional.</summary>
public sealed record SpotifyTrackFacts(
    string? Id,
    string? Name,
    int? DurationMs,
    bool? Explicit,
    int? Popularity,
    string? PreviewUrl,
    string? Isrc,
    string? ArtistsJson)
{
    public static SpotifyTrackFacts Read(JsonElement track)
    {
        string? isrc = null;
        if (track.TryGetProperty("external_ids", out var ids) && ids.ValueKind == JsonValueKind.Object)
        {
            isrc = Str(ids, "isrc");
        }

        string? artists = null;
        if (track.TryGetProperty("artists", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            artists = JsonSerializer.Serialize(list.EnumerateArray()
                .Where(a => a.ValueKind == JsonValueKind.Object)
                .Select(a => new { id = Str(a, "id"), name = Str(a, "name") }));
        }

        return new SpotifyTrackFacts(
            Str(track, "id"),
            Str(track, "name"),
            Int(track, "duration_ms"),
            track.TryGetProperty("explicit", out var e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : null,
            Int(track, "popularity"),
            Str(track, "preview_url"),
            isrc,
            artists);
    }

    public static SpotifyTrackFacts Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;
}
