using System.Globalization;

namespace TrackGrains.WebGateway.Rendering;

/// <summary>RFC 4180 fields: quoted only when they hold a comma, a quote or a line break, quotes doubled.</summary>
public static class CsvField
{
    public static void Write(TextWriter writer, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(value);
            return;
        }
        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }

    /// <summary>A number as the JSON API writes it (shortest form that reads back to the same double); empty when unknown.</summary>
    public static void Write(TextWriter writer, double? value)
    {
        if (value is { } v)
        {
            writer.Write(v.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    public static void Write(TextWriter writer, long? value)
    {
        if (value is { } v)
        {
            writer.Write(v.ToString(CultureInfo.InvariantCulture));
        }
    }
}
