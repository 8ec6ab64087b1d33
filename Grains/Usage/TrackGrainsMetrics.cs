using System.Diagnostics.Metrics;
using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.Keys;

namespace TrackGrains.Grains.Usage;

/// <summary>
/// Our OpenTelemetry instruments (meter <see cref="MeterName"/>). The counters move together with
/// <see cref="UsageCounters"/>, which is the only caller, so usage_stats and /metrics count the same events.
/// The meter comes from the host's <see cref="IMeterFactory"/>, so each host owns its instruments.
/// </summary>
public sealed class TrackGrainsMetrics
{
    public const string MeterName = "TrackGrains";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _upstreamCalls;
    private long _retryQueueDepth = -1;

    public TrackGrainsMetrics(IMeterFactory meters, KeyDirectory keys)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("trackgrains.api.requests", "{request}",
            "API requests answered (paths under /api and /v1), whatever their status.");
        _requestDuration = meter.CreateHistogram<double>("trackgrains.api.request.duration", "ms",
            "Time until an API request's response started.");
        _cacheHits = meter.CreateCounter<long>("trackgrains.cache.hits", "{read}",
            "Track reads answered from stored SoundCharts data, without an upstream call.");
        _upstreamCalls = meter.CreateCounter<long>("trackgrains.soundcharts.calls", "{call}",
            "HTTP calls made to SoundCharts, by outcome.");
        meter.CreateObservableGauge("trackgrains.soundcharts.key.quota_remaining", () => QuotaRemaining(keys), "{call}",
            "Quota left per SoundCharts key, as this silo last saw it (keys whose quota is still unknown are left out).");
        meter.CreateObservableGauge("trackgrains.retry_queue.depth", RetryQueueDepth, "{track}",
            "Tracks in failed_requests waiting for a retry or for a key (status retrying or pending), as of the last usage flush.");
    }

    public void Request(TimeSpan elapsed)
    {
        _requests.Add(1);
        _requestDuration.Record(elapsed.TotalMilliseconds);
    }

    public void CacheHit() => _cacheHits.Add(1);

    public void UpstreamCall(CallOutcome outcome) =>
        _upstreamCalls.Add(1, new KeyValuePair<string, object?>("outcome", OutcomeName(outcome)));

    /// <summary>Set by the usage flush; negative until the first count.</summary>
    public void SetRetryQueueDepth(long depth) => Interlocked.Exchange(ref _retryQueueDepth, depth);

    public static string OutcomeName(CallOutcome outcome) => outcome switch
    {
        CallOutcome.Success => "success",
        CallOutcome.NotFound => "not_found",
        CallOutcome.Gone => "gone",
        CallOutcome.RateLimited => "rate_limited",
        CallOutcome.QuotaReached => "quota_reached",
        CallOutcome.Unauthorized => "unauthorized",
        CallOutcome.Forbidden => "forbidden",
        CallOutcome.Transient => "transient",
        _ => "other",
    };

    private IEnumerable<Measurement<long>> RetryQueueDepth()
    {
        var depth = Interlocked.Read(ref _retryQueueDepth);
        return depth < 0 ? [] : [new Measurement<long>(depth)];
    }

    private static IEnumerable<Measurement<long>> QuotaRemaining(KeyDirectory keys) =>
        keys.Known
            .Where(k => k.QuotaRemaining is not null)
            .Select(k => new Measurement<long>(k.QuotaRemaining!.Value,
                new KeyValuePair<string, object?>("key.id", k.KeyId),
                new KeyValuePair<string, object?>("key.active", k.IsActive)));
}
