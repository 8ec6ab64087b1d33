namespace TrackGrains.Grains.Usage;

/// <summary>What one silo counted for one UTC day since its last flush; added to that day's usage_stats row.</summary>
public sealed record UsageDelta(
    DateOnly Day,
    long TotalRequests,
    long CacheHits,
    long SoundChartsCalls,
    long FailedCalls,
    long TotalResponseTimeMs)
{
    public bool IsEmpty => TotalRequests == 0 && CacheHits == 0 && SoundChartsCalls == 0 && FailedCalls == 0 && TotalResponseTimeMs == 0;
}
