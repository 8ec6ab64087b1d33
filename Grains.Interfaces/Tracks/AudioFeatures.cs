namespace TrackGrains.Grains.Interfaces.Tracks;

/// <summary>The SoundCharts <c>audio</c> block; every value may be missing upstream.</summary>
[GenerateSerializer, Immutable, Alias("tg.AudioFeatures")]
public sealed record AudioFeatures
{
    [Id(0)] public double? Acousticness { get; init; }
    [Id(1)] public double? Danceability { get; init; }
    [Id(2)] public double? Energy { get; init; }
    [Id(3)] public double? Instrumentalness { get; init; }
    /// <summary>Pitch class 0..11; -1 when SoundCharts detected no key.</summary>
    [Id(4)] public int? Key { get; init; }
    [Id(5)] public double? Liveness { get; init; }
    [Id(6)] public double? Loudness { get; init; }
    [Id(7)] public int? Mode { get; init; }
    [Id(8)] public double? Speechiness { get; init; }
    [Id(9)] public double? Tempo { get; init; }
    [Id(10)] public int? TimeSignature { get; init; }
    [Id(11)] public double? Valence { get; init; }
}
