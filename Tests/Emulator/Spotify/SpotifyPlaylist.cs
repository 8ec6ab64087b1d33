namespace TrackGrains.Emulator.Spotify;

public sealed record SpotifyPlaylist(string Id, string Name, string OwnerId, IReadOnlyList<SavedItem> Items);
