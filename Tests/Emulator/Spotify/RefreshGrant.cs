namespace TrackGrains.Emulator.Spotify;

internal sealed record RefreshGrant(string ClientId, string Scope, string UserId);
