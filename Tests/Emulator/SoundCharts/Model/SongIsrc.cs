namespace TrackGrains.Emulator.SoundCharts.Model;

public sealed record SongIsrc(string Value, string CountryCode, string CountryName);
