namespace TrackGrains.Grains.Spotify;

public sealed record SpotifyPlaylistRef(string Id, string? Name, int? TrackCount);
