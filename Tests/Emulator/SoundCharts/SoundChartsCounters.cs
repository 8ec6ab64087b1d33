using System.Collections.Concurrent;

namespace TrackGrains.Emulator.SoundCharts;

/// <summary>
/// What the SoundCharts side saw, for tests and benchmarks to assert on. Keys are identified by
/// app id. "After exhausted" and "after rate-limited" count calls a well-behaved client should
/// not have made: the emulator had already told it to stop.
/// </summary>
public sealed class SoundChartsCounters
{
    private readonly ConcurrentDictionary<string, long> _callsPerKey = new();
    private readonly ConcurrentDictionary<string, long> _callsPerTrack = new();
    private readonly ConcurrentDictionary<string, long> _afterQuota = new();
    private readonly ConcurrentDictionary<string, long> _afterRateLimit = new();
    private readonly ConcurrentDictionary<string, long> _maxInFlight = new();
    private readonly ConcurrentDictionary<FaultKind, long> _faults = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> _paidPerTrack = new();
    private long _songCalls;
    private long _ok;
    private long _notFound;
    private long _gone;
    private long _quotaExceeded;
    private long _rateLimited;
    private long _unauthorized;
    private long _forbidden;
    private long _badRequest;
    private long _usageCalls;

    /// <summary>Every request to the song endpoint, authenticated or not.</summary>
    public long SongCalls => Interlocked.Read(ref _songCalls);

    public long Ok => Interlocked.Read(ref _ok);

    public long NotFound => Interlocked.Read(ref _notFound);

    public long Gone => Interlocked.Read(ref _gone);

    public long QuotaExceeded => Interlocked.Read(ref _quotaExceeded);

    public long RateLimited => Interlocked.Read(ref _rateLimited);

    public long Unauthorized => Interlocked.Read(ref _unauthorized);

    public long Forbidden => Interlocked.Read(ref _forbidden);

    public long BadRequest => Interlocked.Read(ref _badRequest);

    public long UsageCalls => Interlocked.Read(ref _usageCalls);

    public long TotalFaults => _faults.Values.Sum();

    public long Faults(FaultKind kind) => _faults.GetValueOrDefault(kind);

    public long CallsForKey(string appId) => _callsPerKey.GetValueOrDefault(appId);

    public long CallsForTrack(string trackId) => _callsPerTrack.GetValueOrDefault(trackId);

    public long CallsAfterQuotaExhausted(string appId) => _afterQuota.GetValueOrDefault(appId);

    public long CallsAfterRateLimited(string appId) => _afterRateLimit.GetValueOrDefault(appId);

    public long MaxInFlight(string appId) => _maxInFlight.GetValueOrDefault(appId);

    /// <summary>When the song endpoint answered this track with data that cost a unit of quota.</summary>
    public IReadOnlyList<DateTimeOffset> PaidAnswersForTrack(string trackId) =>
        _paidPerTrack.TryGetValue(trackId, out var times) ? times.ToArray() : [];

    /// <summary>Tracks whose data was paid for more than once.</summary>
    public IReadOnlyList<string> TracksPaidMoreThanOnce() => _paidPerTrack.Where(p => p.Value.Count > 1).Select(p => p.Key).ToArray();

    public SoundChartsCountersSnapshot Snapshot(bool includeTracks = true) => new(
        SongCalls,
        Ok,
        NotFound,
        Gone,
        QuotaExceeded,
        RateLimited,
        Unauthorized,
        Forbidden,
        BadRequest,
        UsageCalls,
        new Dictionary<FaultKind, long>(_faults),
        new Dictionary<string, long>(_callsPerKey),
        new Dictionary<string, long>(_afterQuota),
        new Dictionary<string, long>(_afterRateLimit),
        new Dictionary<string, long>(_maxInFlight),
        includeTracks ? new Dictionary<string, long>(_callsPerTrack) : null);

    public void Reset()
    {
        _callsPerKey.Clear();
        _callsPerTrack.Clear();
        _afterQuota.Clear();
        _afterRateLimit.Clear();
        _maxInFlight.Clear();
        _faults.Clear();
        _paidPerTrack.Clear();
        Interlocked.Exchange(ref _songCalls, 0);
        Interlocked.Exchange(ref _ok, 0);
        Interlocked.Exchange(ref _notFound, 0);
        Interlocked.Exchange(ref _gone, 0);
        Interlocked.Exchange(ref _quotaExceeded, 0);
        Interlocked.Exchange(ref _rateLimited, 0);
        Interlocked.Exchange(ref _unauthorized, 0);
        Interlocked.Exchange(ref _forbidden, 0);
        Interlocked.Exchange(ref _badRequest, 0);
        Interlocked.Exchange(ref _usageCalls, 0);
    }

    internal void SongCall() => Interlocked.Increment(ref _songCalls);

    /// <summary>Counts an authenticated call; returns its 1-based number for that track.</summary>
    internal long KeyCall(string appId, string trackId)
    {
        _callsPerKey.AddOrUpdate(appId, 1, static (_, n) => n + 1);
        return _callsPerTrack.AddOrUpdate(trackId, 1, static (_, n) => n + 1);
    }

    internal void InFlight(string appId, int current) =>
        _maxInFlight.AddOrUpdate(appId, static (_, cur) => cur, static (_, max, cur) => Math.Max(max, cur), (long)current);

    internal void ArrivedAfterQuotaExhausted(string appId) => _afterQuota.AddOrUpdate(appId, 1, static (_, n) => n + 1);

    internal void ArrivedAfterRateLimited(string appId) => _afterRateLimit.AddOrUpdate(appId, 1, static (_, n) => n + 1);

    internal void Fault(FaultKind kind) => _faults.AddOrUpdate(kind, 1, static (_, n) => n + 1);

    internal void Answered(int status, AdmissionVerdict verdict)
    {
        switch (verdict, status)
        {
            case (AdmissionVerdict.RateLimited, _): Interlocked.Increment(ref _rateLimited); break;
            case (AdmissionVerdict.QuotaExceeded, _): Interlocked.Increment(ref _quotaExceeded); break;
            case (_, 200): Interlocked.Increment(ref _ok); break;
            case (_, 404): Interlocked.Increment(ref _notFound); break;
            case (_, 410): Interlocked.Increment(ref _gone); break;
            case (_, 401): Interlocked.Increment(ref _unauthorized); break;
            case (_, 403): Interlocked.Increment(ref _forbidden); break;
            default: Interlocked.Increment(ref _badRequest); break;
        }
    }

    internal void Paid(string trackId, DateTimeOffset at) => _paidPerTrack.GetOrAdd(trackId, static _ => new()).Enqueue(at);

    internal void UsageCall() => Interlocked.Increment(ref _usageCalls);
}
