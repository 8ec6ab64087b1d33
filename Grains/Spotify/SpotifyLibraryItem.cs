using System.Globalization;
using System.Text.Json;

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
        if (Str(track, "type") == "episode")
        {
            return new(SpotifyItemKind.Episode, addedAt, null, null);
        }
        if (IsTrue(track, "is_local") || IsTrue(item, "is_local"))
        {
            return new(SpotifyItemKind.LocalFile, addedAt, null, null);
        }
        var id = Str(track, "id");
        if (!IsTrackId(id))
        {
            return new(SpotifyItemKind.Malformed, addedAt, null, null);
        }
        return new(SpotifyItemKind.Track, addedAt, id, track.GetRawText());
    }

    /// <summary>A Spotify id: exactly 22 characters of [0-9A-Za-z].</summary>
    public static bool IsTrackId(string? id) => id is { Length: 22 } && id.All(char.IsAsciiLetterOrDigit);

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool IsTrue(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
}
