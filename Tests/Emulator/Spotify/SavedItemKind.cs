using System.Text.Json.Serialization;

namespace TrackGrains.Emulator.Spotify;

[JsonConverter(typeof(JsonStringEnumConverter<SavedItemKind>))]
public enum SavedItemKind
{
    Track,
    NullTrack,
    LocalFile,
    Episode,
}
