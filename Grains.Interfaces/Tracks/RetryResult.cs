namespace TrackGrains.Grains.Interfaces.Tracks;

/// <param name="Attempted">Whether this call made an attempt.</param>
/// <param name="NextWakeAt">When the track wants to be woken again; null when nothing is scheduled.</param>
[GenerateSerializer, Immutable, Alias("tg.RetryResult")]
public sealed record RetryResult(
    [property: Id(0)] bool Attempted,
    [property: Id(1)] EnrichmentStatus Status,
    [property: Id(2)] DateTimeOffset? NextWakeAt);
