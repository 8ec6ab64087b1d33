namespace TrackGrains.Grains.Spotify;

public sealed record SpotifyUser(string Id, string? AccountId, string? DisplayName);
