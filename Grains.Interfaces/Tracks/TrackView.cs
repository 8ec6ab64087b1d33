namespace TrackGrains.Grains.Interfaces.Tracks;

/// <summary>
/// What a track grain knows about its track, ready to be rendered by the gateway.
/// The Spotify object travels as the JSON text Spotify sent so it can be passed through untouched.
/// </summary>
[GenerateSerializer, Immutable, Alias("tg.TrackView")]
public sealed record TrackView(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Name,
    [property: Id(2)] string? SpotifyJson,
    [property: Id(3)] string? SoundChartsUuid,
    [property: Id(4)] string? Isrc,
    [property: Id(5)] AudioFeatures? AudioFeatures,
    [property: Id(6)] EnrichmentInfo Enrichment,
    [property: Id(7)] int? DurationMs);
