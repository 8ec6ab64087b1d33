using System.Globalization;
using System.Text.Json;
using TrackGrains.Grains.Json;

namespace TrackGrains.Grains.Spotify;

/// <summary>
/// One item of a saved-tracks or playlist page: <c>{ added_at, track }</c>. <see cref="TrackJson"/> is the
/// track object's text exactly as Spotify sent it. For a relinked track that is the object Spotify sent,
/// with its own <c>id</c> (not <c>linked_from.id</c>).
/// </summary>
public sealed record SpotifyLibraryItem(SpotifyItemKind Kind, DateTimeOffset? AddedAt, string? TrackId, string? TrackJson)
{
    public static SpotifyLibraryItem Read(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new(SpotifyItemKind.Malformed, null, null, null);
        }
        var addedAt = item.TryGetProperty("added_at", out var a) && a.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(a.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                ? parsed
                : (DateTimeOffset?)null;

        if (!item.TryGetProperty("track", out var track) || track.ValueKind == JsonValueKind.Null)
        {
            return new(SpotifyItemKind.NullTrack, addedAt, null, null);
        }
        if (track.ValueKind != JsonValueKind.Object)
        {
            return new(SpotifyItemKind.Malformed, addedAt, null, null);
        }
        if (JsonFields.String(track, "type") == "episode")
        {
            return new(SpotifyItemKind.Episode, addedAt, null, null);
        }
        if (JsonFields.Boolean(track, "is_local") == true || JsonFields.Boolean(item, "is_local") == true)
        {
            return new(SpotifyItemKind.LocalFile, addedAt, null, null);
        }
        var id = JsonFields.String(track, "id");
        if (!SpotifyTrackId.IsValid(id))
        {
            return new(SpotifyItemKind.Malformed, addedAt, null, null);
        }
        return new(SpotifyItemKind.Track, addedAt, id, track.GetRawText());
    }
}
