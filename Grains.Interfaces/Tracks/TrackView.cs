namespace TrackGrains.Grains.Interfaces.Tracks;

/// <summary>
/// What a track grain knows about its track, ready to be rendered by the gateway.
/// </summary>
/// <param name="SpotifyFields">
/// The Spotify track object's properties as Spotify sent them, minus the names the API's track object
/// owns, as the inner text of a JSON object (no braces); null when no Spotify data is known.
/// </param>
[GenerateSerializer, Immutable, Alias("tg.TrackView")]
public sealed record TrackView(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Name,
    [property: Id(2)] string? SpotifyFields,
    [property: Id(3)] string? SoundChartsUuid,
    [property: Id(4)] string? Isrc,
    [property: Id(5)] AudioFeatures? AudioFeatures,
    [property: Id(6)] EnrichmentInfo Enrichment,
    [property: Id(7)] int? DurationMs);
