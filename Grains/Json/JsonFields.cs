using System.Globalization;
using System.Text.Json;

namespace TrackGrains.Grains.Json;

/// <summary>
/// Tolerant reads of one property of a JSON object, for upstream documents where any field may be
/// missing, null or of another type than documented: each answers null rather than throwing.
/// </summary>
public static class JsonFields
{
    public static string? String(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>A finite number, also when sent as a numeric string.</summary>
    public static double? Number(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDouble(out var d) && double.IsFinite(d) => d,
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
                && double.IsFinite(s) => s,
            _ => null,
        };
    }

    /// <summary>A number rounded to an int, when it fits.</summary>
    public static int? Integer(JsonElement parent, string name) =>
        Number(parent, name) is { } n && n >= int.MinValue && n <= int.MaxValue ? (int)Math.Round(n) : null;

    public static bool? Boolean(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    public static JsonElement? Object(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : null;
}
