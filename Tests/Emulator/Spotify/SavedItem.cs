namespace TrackGrains.Emulator.Spotify;

/// <summary>
/// One entry of a library or playlist. <see cref="Id"/> is the track (or episode) id, null for
/// null and local items. <see cref="LinkedFromId"/> is the original id of a relinked track.
/// <see cref="LocalName"/> names a local file.
/// </summary>
public sealed record SavedItem(
    DateTimeOffset AddedAt,
    SavedItemKind Kind,
    string? Id,
    string? LinkedFromId = null,
    string? LocalName = null);
