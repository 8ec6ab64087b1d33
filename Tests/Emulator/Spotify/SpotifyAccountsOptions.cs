namespace TrackGrains.Emulator.Spotify;

/// <summary>The accounts side (/authorize, /api/token): who signs in and how long tokens live.</summary>
public sealed record SpotifyAccountsOptions
{
    /// <summary>The only client id accepted; null accepts any.</summary>
    public string? ClientId { get; init; }

    /// <summary>/authorize approves at once, signing in this user (created at start-up, without a token).</summary>
    public SpotifyUserOptions DemoUser { get; init; } = new()
    {
        UserId = "demo-user",
        DisplayName = "Demo User",
        LibrarySize = 200,
        Seed = 42,
        Quirks = SpotifyLibraryQuirks.Realistic,
    };

    /// <summary>Sent as expires_in, and enforced against the TimeProvider.</summary>
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan AuthorizationCodeLifetime { get; init; } = TimeSpan.FromMinutes(10);
}
