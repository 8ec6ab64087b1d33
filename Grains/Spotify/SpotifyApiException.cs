namespace TrackGrains.Grains.Spotify;

/// <summary>A Spotify Web API error, with the status and message Spotify sent.</summary>
public sealed class SpotifyApiException(int status, string message, TimeSpan? retryAfter = null)
    : Exception($"Spotify answered {status}: {message}")
{
    public int Status { get; } = status;
    public string SpotifyMessage { get; } = message;
    public TimeSpan? RetryAfter { get; } = retryAfter;
    public bool TokenRejected => Status == 401;
}
