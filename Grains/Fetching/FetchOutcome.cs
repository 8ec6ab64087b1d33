using TrackGrains.Grains.SoundCharts;

namespace TrackGrains.Grains.Fetching;

public enum FetchKind
{
    Success,
    NotFound,
    Gone,
    /// <summary>Every try of the attempt hit a transient fault.</summary>
    Transient,
    /// <summary>No key could serve within the permit wait.</summary>
    NoKey,
}

/// <summary>The result of one enrichment attempt for a track, after key rotation and in-attempt retries.</summary>
public sealed record FetchOutcome(
    FetchKind Kind,
    string? Body = null,
    SongFacts? Song = null,
    string? Error = null,
    string? ErrorCode = null,
    int? HttpStatus = null,
    DateTimeOffset? RetryAt = null,
    int UpstreamCalls = 0);
