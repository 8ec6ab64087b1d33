namespace TrackGrains.WebGateway.Auth;

public sealed class AccessOptions
{
    public const string Section = "Access";

    /// <summary>Spotify user ids allowed to use the server; empty means any valid Spotify user (see <see cref="AllowAnySpotifyUser"/>).</summary>
    public List<string> AllowedSpotifyUsers { get; set; } = [];

    /// <summary>
    /// Needed to listen beyond loopback with an empty <see cref="AllowedSpotifyUsers"/>: opening the
    /// server (and the operator's paid quota) to every Spotify account must be a decision, not a default.
    /// </summary>
    public bool AllowAnySpotifyUser { get; set; }

    /// <summary>How long a token's Spotify user is remembered before /v1/me is asked again.</summary>
    public TimeSpan TokenCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many tokens are remembered; the least recently added go first.</summary>
    public int TokenCacheEntries { get; set; } = 10_000;

    /// <summary>Requests per second per Spotify user (token bucket, bursts of twice that); 0 means no limit. The admin is exempt.</summary>
    public int UserRequestsPerSecond { get; set; } = 50;

    /// <summary>Invalid bearer tokens one client address may send per minute before it gets 429 without Spotify being asked.</summary>
    public int FailedSignInsPerMinute { get; set; } = 20;
}

public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>The admin bearer token; generated into the data folder on first start when not configured.</summary>
    public string? Token { get; set; }

    /// <summary>How long an admin page session (its cookie) lasts after sign-in.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}
