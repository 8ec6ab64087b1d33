using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace TrackGrains.Grains.SoundCharts;

/// <summary>
/// The accounting headers of one SoundCharts response. Only x-quota-remaining is documented;
/// any of them may be missing, negative or not a number, and each then reads as unknown.
/// </summary>
public sealed record SoundChartsHeaders(
    long? QuotaRemaining,
    int? RateLimitLimit,
    int? RateLimitRemaining,
    int? RateLimitResetSeconds,
    string? RequestId,
    string Raw)
{
    public static readonly SoundChartsHeaders None = new(null, null, null, null, null, "");

    public static SoundChartsHeaders From(HttpResponseHeaders headers)
    {
        var raw = new StringBuilder();
        foreach (var (name, values) in headers)
        {
            // Only the server's x-* headers are kept for operators; request credentials never appear in responses.
            if (name.StartsWith("x-", StringComparison.OrdinalIgnoreCase))
            {
                raw.Append(name.ToLowerInvariant()).Append(": ").Append(string.Join(",", values)).Append('\n');
            }
        }

        return new SoundChartsHeaders(
            ReadLong(headers, "x-quota-remaining"),
            ReadInt(headers, "x-ratelimit-limit"),
            ReadInt(headers, "x-ratelimit-remaining"),
            ReadInt(headers, "x-ratelimit-reset"),
            First(headers, "x-request-id"),
            raw.Length > 2000 ? raw.ToString(0, 2000) : raw.ToString());
    }

    private static string? First(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    internal static long? ParseNonNegativeLong(string? text)
    {
        if (text is null)
        {
            return null;
        }
        // Some gateways send "12.0" or padded values; anything else is treated as absent, not as zero.
        if (long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
        {
            return whole >= 0 ? whole : null;
        }
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
            && real >= 0 && real < long.MaxValue && !double.IsNaN(real))
        {
            return (long)Math.Floor(real);
        }
        return null;
    }

    private static long? ReadLong(HttpResponseHeaders headers, string name) => ParseNonNegativeLong(First(headers, name));

    private static int? ReadInt(HttpResponseHeaders headers, string name)
    {
        var value = ParseNonNegativeLong(First(headers, name));
        return value is null ? null : (int)Math.Min(value.Value, int.MaxValue);
    }
}
