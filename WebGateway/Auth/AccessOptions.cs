namespace TrackGrains.WebGateway.Auth;

public sealed class AccessOptions
{
    public const string Section = "Access";

    /// <summary>Spotify user ids allowed to use the server; empty means any valid Spotify user.</summary>
    public List<string> AllowedSpotifyUsers { get; set; } = [];

    /// <summary>How long a token's Spotify user is remembered before /v1/me is asked again.</summary>
    public TimeSpan TokenCacheDuration { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>The admin bearer token; generated into the data folder on first start when not configured.</summary>
    public string? Token { get; set; }
}
