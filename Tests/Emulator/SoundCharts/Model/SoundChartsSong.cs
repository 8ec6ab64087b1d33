using System.Text.Json.Serialization;

namespace TrackGrains.Emulator.SoundCharts.Model;

/// <summary>
/// The "object" of a by-platform song answer, exactly as serialised (camelCase). Null
/// <see cref="Audio"/> is omitted from the JSON; other nulls are written as null, because real
/// answers have both missing and null fields. <see cref="Iswcs"/> is the extra field the server's
/// parser does not know and must ignore.
/// </summary>
public sealed record SoundChartsSong(
    string Uuid,
    string Name,
    SongIsrc Isrc,
    string CreditName,
    IReadOnlyList<SongArtist> Artists,
    DateTimeOffset ReleaseDate,
    string? Copyright,
    string AppUrl,
    string? ImageUrl,
    int Duration,
    IReadOnlyList<SongGenre> Genres,
    IReadOnlyList<string> Composers,
    IReadOnlyList<string> Producers,
    IReadOnlyList<SongLabel> Labels,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SongAudio? Audio,
    bool Explicit,
    string? LanguageCode,
    IReadOnlyList<string> Iswcs);
