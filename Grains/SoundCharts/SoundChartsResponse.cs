using TrackGrains.Grains.Interfaces.Keys;

namespace TrackGrains.Grains.SoundCharts;

/// <summary>One SoundCharts call, classified. <see cref="Body"/> is set only for a usable song.</summary>
public sealed record SoundChartsResponse(
    CallOutcome Outcome,
    int? HttpStatus,
    SoundChartsHeaders Headers,
    string? Body,
    SongFacts? Song,
    string? Message,
    TimeSpan Elapsed);
