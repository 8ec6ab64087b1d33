namespace TrackGrains.Emulator.Spotify;

/// <summary>Behaviour of the Spotify Web API side; swapped whole, like the SoundCharts settings.</summary>
public sealed record SpotifySettings
{
    /// <summary>
    /// Development Mode since February 2026: tracks lack popularity, available_markets and
    /// linked_from, and GET /v1/tracks?ids= answers 403.
    /// </summary>
    public bool DevelopmentMode { get; init; } = true;

    /// <summary>
    /// The Nth, 2Nth, ... /v1 call (all calls and tokens counted) answers 429 with Retry-After: 1 when its
    /// token is valid. Null = never.
    /// </summary>
    public int? RateLimitEveryN { get; init; }

    /// <summary>Added to every /v1 call (wall-clock).</summary>
    public TimeSpan Latency { get; init; }
}
