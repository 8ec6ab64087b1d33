namespace TrackGrains.Emulator.Spotify;

public sealed record SpotifyArtist(string Id, string Name);
