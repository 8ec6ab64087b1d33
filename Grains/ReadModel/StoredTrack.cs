namespace TrackGrains.Grains.ReadModel;

public sealed record StoredTrack(string? SpotifyJson, string? SoundChartsJson, DateTimeOffset? SoundChartsFetchedAt);
