using System.Text.Json;
using TrackGrains.Grains.Json;
using TrackGrains.Grains.ReadModel;

namespace TrackGrains.Grains.Spotify;

/// <summary>The denormalised columns taken from a Spotify track object; every field is optional.</summary>
/// <param name="ArtistNames">The artists' names joined with ", ", as listed and exported.</param>
public sealed record SpotifyTrackFacts(
    string? Id,
    string? Name,
    int? DurationMs,
    bool? Explicit,
    int? Popularity,
    string? PreviewUrl,
    string? Isrc,
    string? ArtistsJson,
    string? ArtistNames,
    string? AlbumName,
    string? ReleaseDate)
{
    public const string ArtistSeparator = ", ";

    public string? NameFolded => SearchText.Fold(Name);

    public string? ArtistsFolded => SearchText.Fold(ArtistNames);

    public static SpotifyTrackFacts Read(JsonElement track)
    {
        string? artists = null;
        string? artistNames = null;
        if (track.TryGetProperty("artists", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            var entries = list.EnumerateArray()
                .Where(a => a.ValueKind == JsonValueKind.Object)
                .Select(a => new { id = JsonFields.String(a, "id"), name = JsonFields.String(a, "name") })
                .ToList();
            artists = JsonSerializer.Serialize(entries);
            artistNames = string.Join(ArtistSeparator, entries.Select(a => a.name).Where(n => !string.IsNullOrEmpty(n)));
        }
        var album = JsonFields.Object(track, "album");

        return new SpotifyTrackFacts(
            JsonFields.String(track, "id"),
            JsonFields.String(track, "name"),
            JsonFields.Integer(track, "duration_ms"),
            JsonFields.Boolean(track, "explicit"),
            JsonFields.Integer(track, "popularity"),
            JsonFields.String(track, "preview_url"),
            JsonFields.Object(track, "external_ids") is { } ids ? JsonFields.String(ids, "isrc") : null,
            artists,
            artistNames,
            album is { } a1 ? JsonFields.String(a1, "name") : null,
            album is { } a2 ? JsonFields.String(a2, "release_date") : null);
    }

    public static SpotifyTrackFacts Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }
}
