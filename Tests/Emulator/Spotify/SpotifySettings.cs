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
    /// A Development Mode app's user list ("User Management" in the developer dashboard): a user not on
    /// it gets 403 on every /v1 call, /v1/me included, as Spotify does. Null = every user may call.
    /// </summary>
    public IReadOnlyList<string>? AppUsers { get; init; }

    /// <summary>
    /// The Nth, 2Nth, ... /v1 call (all calls and tokens counted) answers 429 with Retry-After: 1 when its
    /// token is valid. Null = never.
    /// </summary>
    public int? RateLimitEveryN { get; init; }

    /// <summary>
    /// Spotify's own kind of limit: at most this many /v1 calls (with valid tokens, all users together)
    /// in any <see cref="RateLimitWindow"/> (a rolling window); the call past it starts a penalty of
    /// <see cref="RateLimitRetryAfter"/> during which every call answers 429 with the seconds left in
    /// Retry-After. Null = no window.
    /// </summary>
    public int? RateLimitPerWindow { get; init; }

    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Real answers have asked for hours; tests use seconds to minutes.</summary>
    public TimeSpan RateLimitRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The Nth, 2Nth, ... /v1 call answers a 5xx (alternating 500, 502 with an HTML page, 503). Null = never.</summary>
    public int? ServerErrorEveryN { get; init; }

    /// <summary>The Nth, 2Nth, ... /v1 call has its connection reset before any answer. Null = never.</summary>
    public int? ConnectionResetEveryN { get; init; }

    /// <summary>The Nth, 2Nth, ... /v1 call hangs for <see cref="HangDuration"/> before answering. Null = never.</summary>
    public int? HangEveryN { get; init; }

    public TimeSpan HangDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Added to every /v1 call (wall-clock).</summary>
    public TimeSpan Latency { get; init; }
}
