namespace TrackGrains.WebGateway.Http;

/// <summary>How the API names a bad track id in its problems; the rule itself is <see cref="TrackGrains.Grains.Spotify.SpotifyTrackId"/>.</summary>
public static class SpotifyIds
{
    public static string Describe(string? id)
    {
        if (id is null)
        {
            return "null";
        }
        var shown = id.Length > 40 ? id[..40] + "…" : id;
        return $"'{shown}'";
    }

    public static string InvalidDetail(string? id) =>
        $"{Describe(id)} is not a Spotify track id: expected exactly 22 characters of 0-9, A-Z, a-z (e.g. 7A9rdAz2M6AjRwOa34jxIP).";
}
