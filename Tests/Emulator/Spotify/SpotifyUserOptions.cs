namespace TrackGrains.Emulator.Spotify;

/// <summary>A user to register, from configuration or the control API.</summary>
public sealed record SpotifyUserOptions
{
    /// <summary>Access token to register for the user; null registers the user without one (sign in via /authorize).</summary>
    public string? Token { get; init; }

    public string UserId { get; init; } = "";

    /// <summary>Defaults to the user id.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Number of saved items, quirk items included.</summary>
    public int LibrarySize { get; init; } = 50;

    /// <summary>Same seed, same library: two users with one seed save the same tracks.</summary>
    public long Seed { get; init; } = 1;

    public SpotifyLibraryQuirks Quirks { get; init; } = SpotifyLibraryQuirks.None;

    public int PlaylistCount { get; init; } = 2;

    public int PlaylistSize { get; init; } = 25;

    /// <summary>The token answers this many calls, then 401 "expired" (a sync breaking half way). Null = never.</summary>
    public int? TokenExpiresAfterCalls { get; init; }
}
