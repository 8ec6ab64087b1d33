namespace TrackGrains.Emulator.SoundCharts;

/// <summary>
/// Behaviour of the SoundCharts side that tests change while the emulator runs. Immutable: the
/// state swaps the whole record, so a request sees one consistent set of values.
/// </summary>
public sealed record SoundChartsSettings
{
    /// <summary>Deterministic fraction (0..1) of valid ids that SoundCharts does not know (404).</summary>
    public double NotFoundRate { get; init; }

    /// <summary>Deterministic fraction (0..1) of valid ids whose ISRC is blacklisted (410).</summary>
    public double GoneRate { get; init; }

    /// <summary>
    /// SoundCharts adds a song some time after its first 404 lookup. When set, a 404'd id
    /// (by rate or override) answers 200 once this long has passed since its first lookup.
    /// Null = never.
    /// </summary>
    public TimeSpan? NotFoundBecomesKnownAfter { get; init; }

    /// <summary>Fraction (0..1) of song calls that fail transiently, decided per (track, call number).</summary>
    public double TransientFaultRate { get; init; }

    /// <summary>Which fault kinds to mix; null = all of them.</summary>
    public IReadOnlyList<FaultKind>? FaultKinds { get; init; }

    /// <summary>How long a <see cref="FaultKind.Hang"/> holds the request before a 504.</summary>
    public TimeSpan HangDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Added to every song call (wall-clock, not the injected TimeProvider).</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Up to this much more latency, deterministic per (track, call number).</summary>
    public TimeSpan LatencyJitter { get; init; }

    /// <summary>False: /api/v2/team/usage answers 503, so a client must learn a key's quota from a call.</summary>
    public bool UsageEndpointAvailable { get; init; } = true;
}
