using TrackGrains.Grains.Interfaces.Keys;

namespace TrackGrains.Grains.Usage;

/// <summary>
/// This silo's usage counters, per UTC day, kept in memory and added to usage_stats by
/// <see cref="UsageFlushService"/>, so counting never puts a grain call or a database write on a
/// request's path. Every count also moves the matching OpenTelemetry instrument.
/// <para>Definitions (one place, so the stats page, /metrics and the code agree):</para>
/// <list type="bullet">
/// <item><b>total_requests</b>: HTTP requests under /api and /v1 that got an answer, any status
/// (including 4xx and auth refusals), counted by the gateway when the response starts.</item>
/// <item><b>total_response_time_ms</b>: the sum of those requests' times until their response
/// started; avg_response_time_ms = total_response_time_ms / total_requests.</item>
/// <item><b>cache_hits</b>: track reads (ITrackGrain.EnsureEnrichedAsync, from /api/tracks,
/// /v1/audio-features, syncs ...) answered from stored SoundCharts data without an upstream call.</item>
/// <item><b>soundcharts_calls</b>: HTTP calls sent to SoundCharts' song endpoint, each try of each
/// attempt on each key (in-attempt retries and key rotations each count).</item>
/// <item><b>failed_calls</b>: those calls that brought neither the song nor SoundCharts' normal
/// "not known yet" 404: 410, 401, 403, both kinds of 429, 5xx, timeouts, broken connections and
/// unreadable bodies.</item>
/// </list>
/// </summary>
public sealed class UsageCounters(TimeProvider time, TrackGrainsMetrics metrics)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<DateOnly, Tally> _pending = [];

    public void Request(TimeSpan elapsed)
    {
        metrics.Request(elapsed);
        lock (_lock)
        {
            var tally = Today();
            tally.TotalRequests++;
            tally.ResponseTicks += Math.Max(0, elapsed.Ticks);
        }
    }

    public void CacheHit()
    {
        metrics.CacheHit();
        lock (_lock)
        {
            Today().CacheHits++;
        }
    }

    public void UpstreamCall(CallOutcome outcome)
    {
        if (outcome == CallOutcome.NotSent)
        {
            return;
        }
        metrics.UpstreamCall(outcome);
        lock (_lock)
        {
            var tally = Today();
            tally.SoundChartsCalls++;
            if (IsFailedCall(outcome))
            {
                tally.FailedCalls++;
            }
        }
    }

    /// <summary>A call that brought neither the song nor a 404 (see the class summary).</summary>
    public static bool IsFailedCall(CallOutcome outcome) => outcome is not (CallOutcome.Success or CallOutcome.NotFound or CallOutcome.NotSent);

    /// <summary>
    /// Takes what was counted since the last call, one delta per day. Response time leaves in whole
    /// milliseconds; today's sub-millisecond remainder stays for the next flush, so fast cached
    /// requests do not round away to zero.
    /// </summary>
    public IReadOnlyList<UsageDelta> Drain()
    {
        lock (_lock)
        {
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            var deltas = new List<UsageDelta>(_pending.Count);
            foreach (var (day, tally) in _pending)
            {
                var delta = new UsageDelta(day, tally.TotalRequests, tally.CacheHits, tally.SoundChartsCalls, tally.FailedCalls,
                    tally.ResponseTicks / TimeSpan.TicksPerMillisecond);
                if (!delta.IsEmpty)
                {
                    deltas.Add(delta);
                }
            }
            var remainder = _pending.TryGetValue(today, out var current) ? current.ResponseTicks % TimeSpan.TicksPerMillisecond : 0;
            _pending.Clear();
            if (remainder > 0)
            {
                _pending[today] = new Tally { ResponseTicks = remainder };
            }
            return deltas;
        }
    }

    /// <summary>Puts back deltas whose write failed, so the next flush carries them.</summary>
    public void Restore(IEnumerable<UsageDelta> deltas)
    {
        lock (_lock)
        {
            foreach (var d in deltas)
            {
                if (!_pending.TryGetValue(d.Day, out var tally))
                {
                    _pending[d.Day] = tally = new Tally();
                }
                tally.TotalRequests += d.TotalRequests;
                tally.CacheHits += d.CacheHits;
                tally.SoundChartsCalls += d.SoundChartsCalls;
                tally.FailedCalls += d.FailedCalls;
                tally.ResponseTicks += d.TotalResponseTimeMs * TimeSpan.TicksPerMillisecond;
            }
        }
    }

    private Tally Today()
    {
        var day = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (!_pending.TryGetValue(day, out var tally))
        {
            _pending[day] = tally = new Tally();
        }
        return tally;
    }

    private sealed class Tally
    {
        public long TotalRequests;
        public long CacheHits;
        public long SoundChartsCalls;
        public long FailedCalls;
        public long ResponseTicks;
    }
}
