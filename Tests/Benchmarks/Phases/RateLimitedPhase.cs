using System.Diagnostics;
using TrackGrains.Benchmarks.Infrastructure;
using TrackGrains.Benchmarks.Reporting;
using TrackGrains.Emulator;
using TrackGrains.Emulator.Determinism;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;

namespace TrackGrains.Benchmarks.Phases;

/// <summary>
/// Target 4: N uncached tracks when the keys' rate limits, not the server, bound the pace. The floor
/// is N / (sum of the keys' rates). The emulator's windows are fixed and start at a key's first
/// call, so a well-paced client can beat that floor by spending each key's first window at once;
/// the report gives that fixed-window bound too.
/// </summary>
public static class RateLimitedPhase
{
    private const int Keys = 3;
    private const int CallsPerWindow = 20;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);
    private const string UserToken = "bench-ratelimit-user-token";

    public static async Task RunAsync(BenchmarkSettings settings, Report report, StorageBackend storage)
    {
        var options = new EmulatorOptions
        {
            SoundChartsKeys = Enumerable.Range(1, Keys).Select(k => new SoundChartsKeyOptions
            {
                AppId = $"bench-rl-{k}",
                ApiKey = $"bench-rl-key-000{k}",
                Quota = 100_000,
                RateLimit = CallsPerWindow,
                RateLimitWindow = Window,
            }).ToList(),
            SpotifyUsers = [new SpotifyUserOptions { Token = UserToken, UserId = "bench-ratelimit-user", LibrarySize = 1, PlaylistCount = 0 }],
        };
        await using var stage = await Stage.StartAsync(storage, options, new Dictionary<string, string?>());
        using var user = stage.Gateway.Client(UserToken, TimeSpan.FromMinutes(2));
        var counters = stage.Emulator.State.SoundCharts.Counters;

        // Warm the code paths (and let the server learn the keys' limits from their headers), then let every window lapse.
        foreach (var id in SpotifyId.Random(Keys))
        {
            await TrackApi.GetOkAsync(user, $"/api/tracks/{id}");
        }
        await Task.Delay(Window + TimeSpan.FromMilliseconds(500));

        var n = settings.RateLimitedTracks;
        var ids = SpotifyId.Random(n);
        var callsBefore = counters.SongCalls;
        var rateLimitedBefore = counters.RateLimited;
        var started = Stopwatch.GetTimestamp();
        var first = await TrackApi.BatchAsync(user, ids);
        var batchSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var enriched = first.Statuses.Values.Count(s => s == "enriched");
        var deadline = TimeSpan.FromSeconds(60);
        while (enriched < n && Stopwatch.GetElapsedTime(started) < deadline)
        {
            await Task.Delay(100);
            var statuses = await TrackApi.StatusesAsync(user, ids);
            enriched = statuses.Values.Count(s => s == "enriched");
        }
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var floor = n / (Keys * CallsPerWindow / Window.TotalSeconds);
        var fixedWindowBound = (Math.Ceiling((double)n / (Keys * CallsPerWindow)) - 1) * Window.TotalSeconds;
        var perKey = string.Join(", ", Enumerable.Range(1, Keys).Select(k => $"{counters.CallsForKey($"bench-rl-{k}")}"));
        var ratio = seconds / floor;
        var note = $"{Keys} keys × {CallsPerWindow} calls per {Window.TotalSeconds:0} s window = {Keys * CallsPerWindow / Window.TotalSeconds:0} calls/s; " +
            $"one POST /api/tracks/batch of {n} ids (answered after {batchSeconds:0.00} s with {first.Statuses.Values.Count(s => s == "enriched")} enriched), " +
            $"then polled until all enriched; {enriched} of {n} enriched; {counters.SongCalls - callsBefore} song calls, " +
            $"{counters.RateLimited - rateLimitedBefore} answered 429; calls per key (incl. warm-up) {perKey}; " +
            $"fixed-window lower bound {fixedWindowBound:0.0} s; emulator latency 0";
        report.Add(new ResultRow("4", $"{n} uncached tracks, rate-limited keys", seconds, floor, "s", "≤ 1.10 × floor",
            enriched == n && ratio <= 1.10 ? Verdict.Pass : Verdict.Fail, note));
    }
}
