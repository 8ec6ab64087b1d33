namespace TrackGrains.Grains.ReadModel;

/// <summary>A usage_stats row (or the sum of several): see UsageCounters for what each number counts.</summary>
public sealed record UsageDay(
    DateOnly Day,
    long TotalRequests,
    long CacheHits,
    long SoundChartsCalls,
    long FailedCalls,
    long TotalResponseTimeMs)
{
    /// <summary>Null when no request was counted.</summary>
    public double? AvgResponseTimeMs => TotalRequests > 0 ? (double)TotalResponseTimeMs / TotalRequests : null;
}
