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

    /// <summary>Holds the request for HangDuration (honouring cancellation), then 504. Billed: the unit was taken first.</summary>
    Hang,

    /// <summary>200 whose JSON body is cut off half way, with the accounting headers. Billed.</summary>
    MalformedJson,

    /// <summary>The connection is reset before any answer. Billed: the unit was taken before the connection broke.</summary>
    ConnectionReset,
}
