using TrackGrains.Benchmarks.Infrastructure;
using TrackGrains.Benchmarks.Reporting;
using TrackGrains.Emulator;
using TrackGrains.Emulator.Determinism;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;

namespace TrackGrains.Benchmarks.Phases;

/// <summary>
/// Target 3: with SoundCharts answering after a fixed latency, a GET of an uncached track costs
/// that latency plus our own work. The floor is the same emulator call made directly by the
/// benchmark (same latency, same loopback HTTP), interleaved with the gateway requests.
/// </summary>
public static class UncachedOverheadPhase
{
    public static readonly TimeSpan UpstreamLatency = TimeSpan.FromMilliseconds(50);

    private const string UserToken = "bench-overhead-user-token";
    private const string ServerAppId = "bench-overhead";
    private const string DirectAppId = "bench-direct";
    private const string DirectApiKey = "bench-direct-key-0001";
    private const int WarmUp = 10;

    public static async Task RunAsync(BenchmarkSettings settings, Report report, StorageBackend storage)
    {
        var options = new EmulatorOptions
        {
            SoundCharts = new SoundChartsSettings { Latency = UpstreamLatency },
            SoundChartsKeys =
            [
                new SoundChartsKeyOptions { AppId = ServerAppId, ApiKey = "bench-overhead-key-0001", Quota = 1_000_000, RateLimit = 1_000_000 },
                new SoundChartsKeyOptions { AppId = DirectAppId, ApiKey = DirectApiKey, Quota = 1_000_000, RateLimit = 1_000_000 },
            ],
            SpotifyUsers = [new SpotifyUserOptions { Token = UserToken, UserId = "bench-overhead-user", LibrarySize = 1, PlaylistCount = 0 }],
        };
        await using var stage = await Stage.StartAsync(storage, options, new Dictionary<string, string?>(), benchmarkOnlyKeys: [DirectAppId]);
        using var user = stage.Gateway.Client(UserToken, TimeSpan.FromSeconds(30));
        using var direct = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(stage.Emulator.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        direct.DefaultRequestHeaders.Add("x-app-id", DirectAppId);
        direct.DefaultRequestHeaders.Add("x-api-key", DirectApiKey);

        var count = settings.UncachedRequests;
        var viaGateway = SpotifyId.Random(WarmUp + count);
        var straight = SpotifyId.Random(WarmUp + count);
        var (measured, floor) = await LatencyLoop.InterleavedAsync(
            i => TrackApi.GetOkAsync(user, $"/api/tracks/{viaGateway[i]}"),
            i => TrackApi.GetOkAsync(direct, $"/api/v2.25/song/by-platform/spotify/{straight[i]}"),
            WarmUp, count, blocks: Math.Max(1, count / 5));

        var callsPerTrack = (double)stage.Emulator.State.SoundCharts.Counters.SongCalls / (2 * (WarmUp + count));
        var note = $"{measured.Count} sequential GETs of never-seen ids after {WarmUp} warm-up; emulator latency {UpstreamLatency.TotalMilliseconds:0} ms, " +
            $"no jitter; floor = the same SoundCharts call made directly, interleaved in blocks of 5; overhead p50 {measured.P50 - floor.P50:0.0} ms, " +
            $"p90 {measured.P90 - floor.P90:0.0} ms, mean {measured.Mean - floor.Mean:0.0} ms; {callsPerTrack:0.00} upstream calls per id" +
            (measured.Errors + floor.Errors == 0 ? "" : $"; ERRORS: {measured.Errors} measured, {floor.Errors} floor");
        report.Add(new ResultRow("3", "uncached GET latency, p50 (our overhead = measured − floor)", measured.P50, floor.P50, "ms", "overhead < 10 ms",
            measured.Errors == 0 && measured.P50 - floor.P50 < 10 ? Verdict.Pass : Verdict.Fail, note));
        report.Add(new ResultRow("3", "uncached GET latency, p90", measured.P90, floor.P90, "ms", "overhead < 10 ms",
            measured.P90 - floor.P90 < 10 ? Verdict.Pass : Verdict.Fail));
    }
}
