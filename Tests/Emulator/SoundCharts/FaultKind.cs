using System.Text.Json.Serialization;

namespace TrackGrains.Emulator.SoundCharts;

[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>500 with a SoundCharts JSON error body.</summary>
    ServerError,

    /// <summary>502 from a gateway: an HTML body, no SoundCharts headers.</summary>
    BadGateway,

    /// <summary>503 from a gateway: a plain-text body, no SoundCharts headers.</summary>
    ServiceUnavailable,

    /// <summary>Holds the request for HangDuration (honouring cancellation), then 504.</summary>
    Hang,

    /// <summary>200 whose JSON body is cut off half way.</summary>
    MalformedJson,
}
