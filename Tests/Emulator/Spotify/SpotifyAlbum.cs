namespace TrackGrains.Emulator.Spotify;

/// <summary><see cref="ReleaseDate"/> is "yyyy-MM-dd" (precision "day").</summary>
public sealed record SpotifyAlbum(string Id, string Name, string AlbumType, string ReleaseDate, int TotalTracks, IReadOnlyList<SpotifyArtist> Artists);
