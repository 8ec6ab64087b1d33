using System.Text.Json.Serialization;

namespace TrackGrains.Emulator.SoundCharts;

[JsonConverter(typeof(JsonStringEnumConverter<SongAvailability>))]
public enum SongAvailability
{
    /// <summary>200 with the catalogue song.</summary>
    Known,

    /// <summary>404, costs no quota.</summary>
    NotFound,

    /// <summary>410, ISRC blacklisted; costs one unit like a 200.</summary>
    Gone,
}
