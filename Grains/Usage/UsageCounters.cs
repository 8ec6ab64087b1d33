using TrackGrains.Grains.Fetching;

namespace TrackGrains.Grains.Usage;

/// <summary>
/// This silo's usage counters for the current day, kept in memory and flushed to usage_stats in the
/// background, so counting never puts a grain call or a database write on a request's path.
/// </summary>
public sealed class UsageCounters(TimeProvider time)
{
    private readonly Lock _lock = new();
    private UsageDelta _pending = UsageDelta.Empty(time.GetUtcNow());

    public void CacheHit() => Add(d => d with { CacheHits = d.CacheHits + 1 });

    public void Request(TimeSpan elapsed) =>
        Add(d => d with { TotalRequests = d.TotalRequests + 1, TotalResponseTimeMs = d.TotalResponseTimeMs + elapsed.TotalMilliseconds });

    public void Attempt(FetchOutcome outcome) => Add(d => d with
    {
        SoundChartsCalls = d.SoundChartsCalls + outcome.UpstreamCalls,
        FailedCalls = d.FailedCalls + (outcome.Kind is FetchKind.Transient or FetchKind.Gone ? 1 : 0),
    });

    /// <summary>Takes what was counted since the last call, split by day.</summary>
    public UsageDelta Drain()
    {
        lock (_lock)
        {
            var drained = _pending;
            _pending = UsageDelta.Empty(time.GetUtcNow());
            return drained;
        }
    }

    private void Add(Func<UsageDelta, UsageDelta> change)
    {
        lock (_lock)
        {
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            if (_pending.Day != today && _pending.IsEmpty)
            {
                _pending = UsageDelta.Empty(time.GetUtcNow());
            }
            _pending = change(_pending);
        }
    }
}

public sealed record UsageDelta(DateOnly Day, long TotalRequests, long CacheHits, long SoundChartsCalls, long FailedCalls, double TotalResponseTimeMs)
{
    public static UsageDelta Empty(DateTimeOffset now) => new(DateOnly.FromDateTime(now.UtcDateTime), 0, 0, 0, 0, 0);

    public bool IsEmpty => TotalRequests == 0 && CacheHits == 0 && SoundChartsCalls == 0 && FailedCalls == 0;
}
