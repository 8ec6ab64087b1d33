namespace TrackGrains.Emulator.Spotify;

/// <summary>
/// A catalogue track. Name, ISRC, explicit flag and artists agree with the SoundCharts catalogue
/// for the same id, so a demo shows one coherent world. <see cref="Popularity"/> is only sent
/// outside Development Mode.
/// </summary>
public sealed record SpotifyTrack(
    string Id,
    string Name,
    IReadOnlyList<SpotifyArtist> Artists,
    SpotifyAlbum Album,
    int DurationMs,
    bool Explicit,
    string Isrc,
    int TrackNumber,
    int DiscNumber,
    int Popularity,
    string? PreviewUrl);
