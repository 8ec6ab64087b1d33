using System.Diagnostics;
using TrackGrains.Benchmarks.Infrastructure;
using TrackGrains.Benchmarks.Reporting;
using TrackGrains.Emulator;
using TrackGrains.Emulator.Determinism;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;

namespace TrackGrains.Benchmarks.Phases;

/// <summary>
/// Target 7: 10 % of SoundCharts calls fail transiently (every fault kind, hangs included); the share
/// of tracks enriched once the retry schedule, shortened through settings, has run its course.
/// </summary>
public static class FaultRecoveryPhase
{
    private const double FaultRate = 0.10;
    private const string UserToken = "bench-faults-user-token";
    private static readonly string[] Unsettled = ["pending", "retrying"];

    public static async Task RunAsync(BenchmarkSettings settings, Report report, StorageBackend storage)
    {
        var options = new EmulatorOptions
        {
            SoundCharts = new SoundChartsSettings { TransientFaultRate = FaultRate, HangDuration = TimeSpan.FromSeconds(2) },
            SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "bench-faults", ApiKey = "bench-faults-key-0001", Quota = 1_000_000, RateLimit = 1_000_000 }],
            SpotifyUsers = [new SpotifyUserOptions { Token = UserToken, UserId = "bench-faults-user", LibrarySize = 1, PlaylistCount = 0 }],
        };
        var overrides = new Dictionary<string, string?>
        {
            // The production schedule (0, 1 h, 1 d) compressed to seconds; the shape is the same.
            ["Retry:Delays"] = "00:00:00,00:00:02,00:00:04",
            ["Retry:ReminderPeriod"] = "00:00:02",
            ["Cluster:MinimumReminderPeriod"] = "00:00:01",
            ["SoundCharts:RequestTimeout"] = "00:00:01",
            ["SoundCharts:TransientRetryDelay"] = "00:00:00.020",
        };
        await using var stage = await Stage.StartAsync(storage, options, overrides);
        using var user = stage.Gateway.Client(UserToken, TimeSpan.FromMinutes(2));
        var counters = stage.Emulator.State.SoundCharts.Counters;

        var n = settings.FaultTracks;
        var ids = SpotifyId.Random(n);
        var started = Stopwatch.GetTimestamp();
        var statuses = await TrackApi.StatusesAsync(user, ids);
        var firstPass = statuses.Values.Count(s => s == "enriched");
        var firstPassSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var deadline = TimeSpan.FromSeconds(firstPassSeconds + 2 + 4 + 30);
        while (statuses.Values.Any(s => Unsettled.Contains(s)) && Stopwatch.GetElapsedTime(started) < deadline)
        {
            await Task.Delay(1000);
            statuses = await TrackApi.StatusesAsync(user, ids);
        }
        var enriched = statuses.Values.Count(s => s == "enriched");
        var share = 100.0 * enriched / n;
        var histogram = string.Join(", ", statuses.Values.GroupBy(s => s).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
        var note = $"{n} never-seen ids in batches of 100; emulator fault rate {FaultRate:P0} per call (5xx, 502 page, 503, hang past the 1 s client timeout, " +
            $"truncated JSON); schedule 0 s, 2 s, 4 s (each attempt with the server's in-attempt retries); {firstPass} enriched on the first pass " +
            $"({firstPassSeconds:0.0} s); final: {histogram} after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s; " +
            $"{counters.SongCalls} song calls, {counters.TotalFaults} faults injected";
        report.Add(new ResultRow("7", $"recovery under {FaultRate:P0} transient faults ({n} tracks)", share, null, "%", "> 99 %",
            share > 99 ? Verdict.Pass : Verdict.Fail, note));
    }
}
