namespace TrackGrains.WebGateway.Http;

public static class SpotifyIds
{
    /// <summary>A Spotify track id: exactly 22 characters of [0-9A-Za-z].</summary>
    public static bool IsValid(string? id) => id is { Length: 22 } && id.All(char.IsAsciiLetterOrDigit);

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
