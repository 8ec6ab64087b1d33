using TrackGrains.Grains.Interfaces.Tracks;

namespace TrackGrains.Grains.SoundCharts;

/// <summary>The parts of a SoundCharts song the server indexes and serves; the full JSON is stored as sent.</summary>
public sealed record SongFacts(
    string? Uuid,
    string? Name,
    string? Isrc,
    int? DurationSeconds,
    bool? Explicit,
    AudioFeatures? Audio);
