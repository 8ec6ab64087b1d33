using System.Globalization;
using System.Text.Json.Nodes;

namespace TrackGrains.Emulator.Spotify;

/// <summary>
/// Spotify's wire shapes (snake_case). Built as JSON nodes because which fields appear depends on
/// the mode, and hrefs point at the emulator's own base URL so a client can follow them.
/// </summary>
internal static class SpotifyJson
{
    private static readonly string[] Markets = ["AD", "AR", "AT", "AU", "BE", "BR", "CA", "CH", "DE", "DK", "ES", "FI", "FR", "GB", "IT", "JP", "MX", "NL", "SE", "US"];

    public static JsonObject Error(int status, string message) =>
        new() { ["error"] = new JsonObject { ["status"] = status, ["message"] = message } };

    public static JsonObject User(SpotifyUser user, string baseUrl) => new()
    {
        ["display_name"] = user.DisplayName,
        ["external_urls"] = new JsonObject { ["spotify"] = $"https://open.spotify.com/user/{user.UserId}" },
        ["href"] = $"{baseUrl}/v1/users/{user.UserId}",
        ["id"] = user.UserId,
        ["images"] = new JsonArray(),
        ["type"] = "user",
        ["uri"] = $"spotify:user:{user.UserId}",
        ["account_id"] = user.AccountId,
    };

    public static JsonNode? Item(SavedItem item, SpotifyCatalogue catalogue, string baseUrl, bool developmentMode) => item.Kind switch
    {
        SavedItemKind.Track => Track(catalogue.GetTrack(item.Id!), baseUrl, developmentMode, item.LinkedFromId),
        SavedItemKind.LocalFile => LocalTrack(item.LocalName!),
        SavedItemKind.Episode => Episode(item.Id!, baseUrl),
        _ => null,
    };

    public static JsonObject Track(SpotifyTrack track, string baseUrl, bool developmentMode, string? linkedFromId = null)
    {
        var json = new JsonObject
        {
            ["album"] = Album(track.Album, baseUrl, developmentMode),
            ["artists"] = Artists(track.Artists, baseUrl),
            ["disc_number"] = track.DiscNumber,
            ["duration_ms"] = track.DurationMs,
            ["explicit"] = track.Explicit,
            ["external_ids"] = new JsonObject { ["isrc"] = track.Isrc },
            ["external_urls"] = new JsonObject { ["spotify"] = $"https://open.spotify.com/track/{track.Id}" },
            ["href"] = $"{baseUrl}/v1/tracks/{track.Id}",
            ["id"] = track.Id,
            ["is_local"] = false,
            ["is_playable"] = true,
            ["name"] = track.Name,
            ["preview_url"] = track.PreviewUrl,
            ["track_number"] = track.TrackNumber,
            ["type"] = "track",
            ["uri"] = $"spotify:track:{track.Id}",
        };
        if (!developmentMode)
        {
            json["available_markets"] = MarketsArray();
            json["popularity"] = track.Popularity;
            if (linkedFromId is not null)
            {
                json["linked_from"] = new JsonObject
                {
                    ["external_urls"] = new JsonObject { ["spotify"] = $"https://open.spotify.com/track/{linkedFromId}" },
                    ["href"] = $"{baseUrl}/v1/tracks/{linkedFromId}",
                    ["id"] = linkedFromId,
                    ["type"] = "track",
                    ["uri"] = $"spotify:track:{linkedFromId}",
                };
            }
        }

        return json;
    }

    /// <summary>Local files: no id, no href, empty external ids, a spotify:local: uri.</summary>
    public static JsonObject LocalTrack(string name)
    {
        const string artist = "Unknown Artist";
        const int durationMs = 201000;
        return new JsonObject
        {
            ["album"] = new JsonObject
            {
                ["album_type"] = null, ["artists"] = new JsonArray(), ["external_urls"] = new JsonObject(), ["href"] = null,
                ["id"] = null, ["images"] = new JsonArray(), ["name"] = "", ["release_date"] = null, ["type"] = "album", ["uri"] = null,
            },
            ["artists"] = new JsonArray(new JsonObject
            {
                ["external_urls"] = new JsonObject(), ["href"] = null, ["id"] = null, ["name"] = artist, ["type"] = "artist", ["uri"] = null,
            }),
            ["disc_number"] = 0,
            ["duration_ms"] = durationMs,
            ["explicit"] = false,
            ["external_ids"] = new JsonObject(),
            ["external_urls"] = new JsonObject(),
            ["href"] = null,
            ["id"] = null,
            ["is_local"] = true,
            ["name"] = name,
            ["preview_url"] = null,
            ["track_number"] = 0,
            ["type"] = "track",
            ["uri"] = $"spotify:local:{Uri.EscapeDataString(artist)}::{Uri.EscapeDataString(name)}:{durationMs / 1000}",
        };
    }

    public static JsonObject Episode(string id, string baseUrl) => new()
    {
        ["description"] = "A synthetic podcast episode.",
        ["duration_ms"] = 1800000,
        ["episode"] = true,
        ["explicit"] = false,
        ["external_urls"] = new JsonObject { ["spotify"] = $"https://open.spotify.com/episode/{id}" },
        ["href"] = $"{baseUrl}/v1/episodes/{id}",
        ["id"] = id,
        ["name"] = $"Episode {id[..4]}",
        ["release_date"] = "2026-01-15",
        ["track"] = false,
        ["type"] = "episode",
        ["uri"] = $"spotify:episode:{id}",
    };

    public static JsonObject SimplifiedPlaylist(SpotifyPlaylist playlist, SpotifyUser owner, string baseUrl) => new()
    {
        ["collaborative"] = false,
        ["description"] = "",
        ["external_urls"] = new JsonObject { ["spotify"] = $"https://open.spotify.com/playlist/{playlist.Id}" },
        ["href"] = $"{baseUrl}/v1/playlists/{playlist.Id}",
        ["id"] = playlist.Id,
        ["images"] = new JsonArray(),
        ["name"] = playlist.Name,
        ["owner"] = new JsonObject
        {
            ["display_name"] = owner.DisplayName,
            ["external_urls"] = new JsonObject { ["spotify"] = $"https://open.spotify.com/user/{owner.UserId}" },
            ["href"] = $"{baseUrl}/v1/users/{owner.UserId}",
            ["id"] = owner.UserId,
            ["type"] = "user",
            ["uri"] = $"spotify:user:{owner.UserId}",
        },
        ["public"] = false,
        ["snapshot_id"] = $"{playlist.Id}{playlist.Items.Count}",
        ["tracks"] = new JsonObject { ["href"] = $"{baseUrl}/v1/playlists/{playlist.Id}/tracks", ["total"] = playlist.Items.Count },
        ["type"] = "playlist",
        ["uri"] = $"spotify:playlist:{playlist.Id}",
    };

    /// <summary>A paging object; next and previous are absolute URLs on <paramref name="baseUrl"/>, or null.</summary>
    public static JsonObject Paging(string baseUrl, string path, JsonArray items, int offset, int limit, int total)
    {
        string Url(int o) => string.Create(CultureInfo.InvariantCulture, $"{baseUrl}{path}?offset={o}&limit={limit}");
        return new JsonObject
        {
            ["href"] = Url(offset),
            ["items"] = items,
            ["limit"] = limit,
            ["next"] = offset + limit < total ? Url(offset + limit) : null,
            ["offset"] = offset,
            ["previous"] = offset > 0 ? Url(Math.Max(0, offset - limit)) : null,
            ["total"] = total,
        };
    }

    private static JsonObject Album(SpotifyAlbum album, string baseUrl, bool developmentMode)
    {
        var json = new JsonObject
        {
            ["album_type"] = album.AlbumType,
            ["artists"] = Artists(album.Artists, baseUrl),
            ["external_urls"] = new JsonObject { ["spotify"] = $"https://open.spotify.com/album/{album.Id}" },
            ["href"] = $"{baseUrl}/v1/albums/{album.Id}",
            ["id"] = album.Id,
            ["images"] = new JsonArray(
                Image(album.Id, 640), Image(album.Id, 300), Image(album.Id, 64)),
            ["name"] = album.Name,
            ["release_date"] = album.ReleaseDate,
            ["release_date_precision"] = "day",
            ["total_tracks"] = album.TotalTracks,
            ["type"] = "album",
            ["uri"] = $"spotify:album:{album.Id}",
        };
        if (!developmentMode)
        {
            json["available_markets"] = MarketsArray();
        }

        return json;
    }

    private static JsonArray Artists(IReadOnlyList<SpotifyArtist> artists, string baseUrl) =>
        new(artists.Select(a => (JsonNode)new JsonObject
        {
            ["external_urls"] = new JsonObject { ["spotify"] = $"https://open.spotify.com/artist/{a.Id}" },
            ["href"] = $"{baseUrl}/v1/artists/{a.Id}",
            ["id"] = a.Id,
            ["name"] = a.Name,
            ["type"] = "artist",
            ["uri"] = $"spotify:artist:{a.Id}",
        }).ToArray());

    private static JsonObject Image(string albumId, int size) => new()
    {
        ["height"] = size,
        ["url"] = $"https://i.scdn.co/image/{size:x4}{albumId}",
        ["width"] = size,
    };

    private static JsonArray MarketsArray() => new(Markets.Select(m => (JsonNode)JsonValue.Create(m)).ToArray());
}
