using System.Text.Json;
using TrackGrains.Grains.Json;

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
        string? artists = null;
        if (track.TryGetProperty("artists", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            artists = JsonSerializer.Serialize(list.EnumerateArray()
                .Where(a => a.ValueKind == JsonValueKind.Object)
                .Select(a => new { id = JsonFields.String(a, "id"), name = JsonFields.String(a, "name") }));
        }

        return new SpotifyTrackFacts(
            JsonFields.String(track, "id"),
            JsonFields.String(track, "name"),
            JsonFields.Integer(track, "duration_ms"),
            JsonFields.Boolean(track, "explicit"),
            JsonFields.Integer(track, "popularity"),
            JsonFields.String(track, "preview_url"),
            JsonFields.Object(track, "external_ids") is { } ids ? JsonFields.String(ids, "isrc") : null,
            artists);
    }

    public static SpotifyTrackFacts Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }
}
