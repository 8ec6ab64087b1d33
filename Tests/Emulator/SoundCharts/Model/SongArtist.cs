namespace TrackGrains.Emulator.SoundCharts.Model;

public sealed record SongArtist(string Uuid, string Slug, string Name, string AppUrl, string? ImageUrl);
