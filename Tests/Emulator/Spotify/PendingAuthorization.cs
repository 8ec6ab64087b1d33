namespace TrackGrains.Emulator.Spotify;

/// <summary>An authorization code waiting for its token exchange.</summary>
internal sealed record PendingAuthorization(
    string ClientId,
    string RedirectUri,
    string CodeChallenge,
    string Scope,
    string UserId,
    DateTimeOffset ExpiresAt);
