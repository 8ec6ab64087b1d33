namespace TrackGrains.Emulator.SoundCharts.Model;

public sealed record SongLabel(string Name, string Type);
