using System.Globalization;

namespace TrackGrains.Benchmarks.Infrastructure;

/// <summary>
/// The gateway's own garbage-collection counters, read from its anonymous /metrics (runtime
/// instrumentation), so a latency tail can be told apart from a GC pause in the server.
/// </summary>
public sealed record ServerGc(double PauseSeconds, long Gen2Collections)
{
    public static async Task<ServerGc?> ReadAsync(HttpClient anonymous) =>
        await GatewayMetrics.ReadAsync(anonymous) is { } metrics ? From(metrics) : null;

    public static ServerGc From(GatewayMetrics metrics) => new(
        ZeroIfMissing(metrics.Sum("dotnet_gc_pause_time", anySuffix: true)),
        (long)ZeroIfMissing(metrics.Sum("dotnet_gc_collections", "gen2", anySuffix: true)));

    public static string Describe(ServerGc? before, ServerGc? after) =>
        before is null || after is null
            ? "server GC: not available"
            : string.Create(CultureInfo.InvariantCulture,
                $"server GC during the loop: {(after.PauseSeconds - before.PauseSeconds) * 1000:0} ms paused, {after.Gen2Collections - before.Gen2Collections} gen2");

    private static double ZeroIfMissing(double value) => double.IsNaN(value) ? 0 : value;
}
