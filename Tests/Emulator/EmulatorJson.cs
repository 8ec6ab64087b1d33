using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TrackGrains.Emulator;

/// <summary>
/// The emulator's own JSON settings, used instead of the host's so the wire format does not
/// change when the emulator is mapped into another app (WebGateway's demo mode).
/// </summary>
internal static class EmulatorJson
{
    // Relaxed escaping: real APIs send "&", "'" and "℗" as they are, and so should the emulator.
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Task Write<T>(HttpContext context, int status, T body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, Options, context.RequestAborted);
    }

    public static Task WriteRaw(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    public static Task WriteNode(HttpContext context, int status, JsonNode body) =>
        WriteRaw(context, status, "application/json; charset=utf-8", body.ToJsonString(Options));

    public static async Task<T?> Read<T>(HttpContext context) =>
        await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Options, context.RequestAborted);
}
