namespace TrackGrains.Grains.ReadModel;

/// <summary>
/// One track of a library selection as the read model holds it: what the export writes and the plots draw.
/// The values are the ones the track's own API object carries (the same projection writes both).
/// </summary>
public sealed record LibraryRow(
    string Id,
    DateTimeOffset? AddedAt,
    string? Name,
    string? ArtistNames,
    string? ArtistsJson,
    string? AlbumName,
    string? ReleaseDate,
    long? DurationMs,
    long? Popularity,
    bool? Explicit,
    double? Danceability,
    double? Energy,
    long? Key,
    double? Loudness,
    long? Mode,
    double? Speechiness,
    double? Acousticness,
    double? Instrumentalness,
    double? Liveness,
    double? Valence,
    double? Tempo,
    long? TimeSignature)
{
    /// <summary>Whether SoundCharts' audio block was stored for the track (the API's audioFeatures is then not null).</summary>
    public bool HasAudioFeatures =>
        Danceability is not null || Energy is not null || Key is not null || Loudness is not null || Mode is not null || Speechiness is not null
        || Acousticness is not null || Instrumentalness is not null || Liveness is not null || Valence is not null || Tempo is not null
        || TimeSignature is not null;
}
