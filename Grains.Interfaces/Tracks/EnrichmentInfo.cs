namespace TrackGrains.Grains.Interfaces.Tracks;

[GenerateSerializer, Immutable, Alias("tg.EnrichmentInfo")]
public sealed record EnrichmentInfo(
    [property: Id(0)] EnrichmentStatus Status,
    [property: Id(1)] DateTimeOffset? FetchedAt,
    [property: Id(2)] int Attempts,
    [property: Id(3)] DateTimeOffset? NextRetryAt,
    [property: Id(4)] string? LastError);
