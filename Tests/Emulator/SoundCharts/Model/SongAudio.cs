using System.Text.Json.Serialization;

namespace TrackGrains.Emulator.SoundCharts.Model;

/// <summary>
/// Audio features. <see cref="Acousticness"/> is omitted when null: real v2.25 answers have
/// lacked it. <see cref="Key"/> is -1 when no key was detected.
/// </summary>
public sealed record SongAudio(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Acousticness,
    double Danceability,
    double Energy,
    double Instrumentalness,
    int Key,
    double Liveness,
    double Loudness,
    int Mode,
    double Speechiness,
    double Tempo,
    int TimeSignature,
    double Valence);
