using System.Collections.Concurrent;
using TrackGrains.Emulator.Determinism;

namespace TrackGrains.Emulator.SoundCharts;

/// <summary>The live SoundCharts side: keys, behaviour settings, per-id overrides and counters.</summary>
public sealed class SoundChartsState
{
    private readonly ConcurrentDictionary<string, SoundChartsKey> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SongAvailability> _overrides = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _firstLookups = new(StringComparer.Ordinal);
    private readonly long _seed;
    private readonly TimeProvider _time;
    private volatile SoundChartsSettings _settings;

    internal SoundChartsState(long seed, TimeProvider time, SoundChartsSettings settings, IEnumerable<SoundChartsKeyOptions> keys)
    {
        _seed = seed;
        _time = time;
        _settings = settings;
        Catalogue = new SoundChartsCatalogue(seed);
        foreach (var key in keys)
        {
            AddOrReplaceKey(key);
        }
    }

    public SoundChartsCatalogue Catalogue { get; }

    public SoundChartsCounters Counters { get; } = new();

    /// <summary>Swap with a `with` expression; requests already running keep the old record.</summary>
    public SoundChartsSettings Settings
    {
        get => _settings;
        set => _settings = value ?? throw new ArgumentNullException(nameof(value));
    }

    public IReadOnlyCollection<SoundChartsKey> Keys => _keys.Values.ToList();

    /// <summary>Registers a key, or replaces the one with the same app id (its quota and window start afresh).</summary>
    public SoundChartsKey AddOrReplaceKey(SoundChartsKeyOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.AppId);
        var key = new SoundChartsKey(options);
        _keys[options.AppId] = key;
        return key;
    }

    public SoundChartsKey AddKey(string appId, string apiKey, long quota = 1000, int rateLimit = 100) =>
        AddOrReplaceKey(new SoundChartsKeyOptions { AppId = appId, ApiKey = apiKey, Quota = quota, RateLimit = rateLimit });

    public bool RemoveKey(string appId) => _keys.TryRemove(appId, out _);

    public SoundChartsKey? GetKey(string appId) => _keys.GetValueOrDefault(appId);

    /// <summary>Forces an id's answer, beating the rates. A NotFound override still follows NotFoundBecomesKnownAfter.</summary>
    public void SetAvailability(string spotifyTrackId, SongAvailability availability) => _overrides[spotifyTrackId] = availability;

    public void ClearAvailability(string spotifyTrackId) => _overrides.TryRemove(spotifyTrackId, out _);

    /// <summary>What a lookup of the id would answer now, without recording a first lookup.</summary>
    public SongAvailability GetAvailability(string spotifyTrackId) => Resolve(spotifyTrackId, _time.GetUtcNow(), record: false);

    /// <summary>Quotas and windows back to their registered values, overrides and first lookups forgotten, counters zeroed.</summary>
    public void Reset()
    {
        foreach (var key in _keys.Values)
        {
            key.Reset();
        }

        _overrides.Clear();
        _firstLookups.Clear();
        Counters.Reset();
    }

    internal SongAvailability Resolve(string spotifyTrackId, DateTimeOffset now, bool record)
    {
        // Real SoundCharts cannot know a malformed id either; a 404 is what a client would see.
        if (!SpotifyId.IsValid(spotifyTrackId))
        {
            return SongAvailability.NotFound;
        }

        var settings = _settings;
        if (!_overrides.TryGetValue(spotifyTrackId, out var availability))
        {
            var u = StableHash.Unit(StableHash.Of(_seed, "availability", spotifyTrackId));
            availability = u < settings.NotFoundRate ? SongAvailability.NotFound
                : u < settings.NotFoundRate + settings.GoneRate ? SongAvailability.Gone
                : SongAvailability.Known;
        }

        if (availability == SongAvailability.NotFound && settings.NotFoundBecomesKnownAfter is { } delay)
        {
            DateTimeOffset first;
            if (record)
            {
                first = _firstLookups.GetOrAdd(spotifyTrackId, now);
            }
            else if (!_firstLookups.TryGetValue(spotifyTrackId, out first))
            {
                return availability;
            }

            if (now - first >= delay)
            {
                return SongAvailability.Known;
            }
        }

        return availability;
    }

    /// <summary>The fault for this (track, call number), if any: a retry is a new call number and may succeed.</summary>
    internal FaultKind? PlanFault(string spotifyTrackId, long callNumber)
    {
        var settings = _settings;
        if (settings.TransientFaultRate <= 0
            || StableHash.Unit(StableHash.Of(_seed, "fault", spotifyTrackId, callNumber)) >= settings.TransientFaultRate)
        {
            return null;
        }

        var kinds = settings.FaultKinds is { Count: > 0 } chosen ? chosen : Enum.GetValues<FaultKind>();
        return kinds[(int)(StableHash.Of(_seed, "fault-kind", spotifyTrackId, callNumber) % (ulong)kinds.Count)];
    }

    internal TimeSpan PlanLatency(string spotifyTrackId, long callNumber)
    {
        var settings = _settings;
        if (settings.LatencyJitter <= TimeSpan.Zero)
        {
            return settings.Latency;
        }

        var u = StableHash.Unit(StableHash.Of(_seed, "latency", spotifyTrackId, callNumber));
        return settings.Latency + (settings.LatencyJitter * u);
    }
}
