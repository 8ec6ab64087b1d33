namespace TrackGrains.Emulator.SoundCharts;

/// <summary>A point-in-time copy of <see cref="SoundChartsCounters"/>, shaped for JSON.</summary>
public sealed record SoundChartsCountersSnapshot(
    long SongCalls,
    long Ok,
    long NotFound,
    long Gone,
    long QuotaExceeded,
    long RateLimited,
    long Unauthorized,
    long Forbidden,
    long BadRequest,
    long UsageCalls,
    IReadOnlyDictionary<FaultKind, long> Faults,
    IReadOnlyDictionary<string, long> CallsPerKey,
    IReadOnlyDictionary<string, long> CallsAfterQuotaExhausted,
    IReadOnlyDictionary<string, long> CallsAfterRateLimited,
    IReadOnlyDictionary<string, long> MaxInFlight,
    IReadOnlyDictionary<string, long>? CallsPerTrack);
