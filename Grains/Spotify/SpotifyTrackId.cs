namespace TrackGrains.Grains.Spotify;

public static class SpotifyTrackId
{
    /// <summary>A Spotify track id: exactly 22 characters of [0-9A-Za-z].</summary>
    public static bool IsValid(string? id) => id is { Length: 22 } && id.All(char.IsAsciiLetterOrDigit);
}
