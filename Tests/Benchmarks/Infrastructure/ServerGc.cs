using System.Globalization;

namespace TrackGrains.Benchmarks.Infrastructure;

/// <summary>
/// The gateway's own garbage-collection counters, read from its anonymous /metrics (runtime
/// instrumentation), so a latency tail can be told apart from a GC pause in the server.
/// </summary>
public sealed record ServerGc(double PauseSeconds, long Gen2Collections)
{
    public static async Task<ServerGc?> ReadAsync(HttpClient anonymous)
    {
        try
        {
            using var response = await anonymous.GetAsync("/metrics");
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }
            double pause = 0;
            long gen2 = 0;
            foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
            {
                if (line.StartsWith("dotnet_gc_pause_time", StringComparison.Ordinal))
                {
                    pause += Value(line);
                }
                else if (line.StartsWith("dotnet_gc_collections", StringComparison.Ordinal) && line.Contains("gen2", StringComparison.Ordinal))
                {
                    gen2 += (long)Value(line);
                }
            }
            return new ServerGc(pause, gen2);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public static string Describe(ServerGc? before, ServerGc? after) =>
        before is null || after is null
            ? "server GC: not available"
            : string.Create(CultureInfo.InvariantCulture,
                $"server GC during the loop: {(after.PauseSeconds - before.PauseSeconds) * 1000:0} ms paused, {after.Gen2Collections - before.Gen2Collections} gen2");

    private static double Value(string line)
    {
        // "name{labels} value [timestamp]"
        var parts = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ');
        return double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;
    }
}
