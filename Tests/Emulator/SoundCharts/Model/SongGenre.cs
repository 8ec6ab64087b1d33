namespace TrackGrains.Emulator.SoundCharts.Model;

public sealed record SongGenre(string Root, IReadOnlyList<string> Sub);
