using System.Globalization;

namespace TrackGrains.Benchmarks.Infrastructure;

/// <summary>
/// One scrape of the gateway's anonymous /metrics (Prometheus text: runtime and Orleans meters),
/// summed by metric name over all label sets.
/// </summary>
public sealed class GatewayMetrics(IReadOnlyList<string> lines)
{
    /// <summary>Null when the gateway exposes no metrics.</summary>
    public static async Task<GatewayMetrics?> ReadAsync(HttpClient anonymous)
    {
        try
        {
            using var response = await anonymous.GetAsync("/metrics");
            return response.IsSuccessStatusCode ? new GatewayMetrics((await response.Content.ReadAsStringAsync()).Split('\n')) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>
    /// The sum over the lines of metric <paramref name="name"/> whose labels contain <paramref name="labelFilter"/>; NaN when
    /// there are none. With <paramref name="anySuffix"/> the name is a prefix (exporters add unit suffixes such as _seconds_total).
    /// </summary>
    public double Sum(string name, string? labelFilter = null, bool anySuffix = false)
    {
        var found = false;
        double sum = 0;
        foreach (var line in lines)
        {
            if (line.Length > name.Length && line.StartsWith(name, StringComparison.Ordinal) && (anySuffix || line[name.Length] is '{' or ' ')
                && (labelFilter is null || line.Contains(labelFilter, StringComparison.Ordinal)))
            {
                found = true;
                sum += Value(line);
            }
        }
        return found ? sum : double.NaN;
    }

    private static double Value(string line)
    {
        // "name{labels} value [timestamp]" or "name value [timestamp]"
        var valueStart = line.Contains('}') ? line.LastIndexOf('}') + 1 : line.IndexOf(' ');
        var parts = line[valueStart..].Trim().Split(' ');
        return double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;
    }
}
