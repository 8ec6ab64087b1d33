using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TrackGrains.Benchmarks.Infrastructure;
using TrackGrains.Benchmarks.Reporting;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;

namespace TrackGrains.Benchmarks.Phases;

/// <summary>
/// The library page's queries on a 10,000-track library (issue 10): a page sorted by tempo and a searched
/// page, each timed against the plain newest-first page of the same server in interleaved blocks; the
/// features of the whole library (the plots' one request); the CSV export of the whole library, timed to
/// its last byte while the gateway process's resident memory is sampled.
/// </summary>
public static class LibraryQueriesPhase
{
    // Tokens and keys of the emulator: they open nothing outside this process.
    private const string UserToken = "bench-queries-user-token";
    private const string UserId = "bench-queries-user";
    private const int PageSize = 50;

    public static async Task RunAsync(BenchmarkSettings settings, Report report, StorageBackend storage)
    {
        var size = BenchmarkSettings.SizeTargetTracks;
        var options = new EmulatorOptions
        {
            SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "bench-queries", ApiKey = "bench-queries-key-0001", Quota = 10_000_000, RateLimit = 10_000_000 }],
            SpotifyUsers = [new SpotifyUserOptions { Token = UserToken, UserId = UserId, LibrarySize = size, PlaylistCount = 0 }],
        };
        await using var stage = await Stage.StartAsync(storage, options, new Dictionary<string, string?>());
        using var user = stage.Gateway.Client(UserToken, TimeSpan.FromMinutes(5));
        using (var sync = await user.PostAsync("/api/sync?wait=true", null))
        {
            if (!sync.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST /api/sync?wait=true answered {(int)sync.StatusCode}");
            }
        }

        // Words of the library's own track names: each search finds some tracks, none finds all.
        var featuresMs = await LatencyLoop.TimeOneAsync(async () => { using var r = await user.GetAsync("/api/library/features"); r.EnsureSuccessStatusCode(); });
        using var features = JsonDocument.Parse(await user.GetStringAsync("/api/library/features"));
        var total = features.RootElement.GetProperty("total").GetInt32();
        var words = features.RootElement.GetProperty("names").EnumerateArray()
            .Select(n => n.GetString()!.Split(' ')[^1].ToLowerInvariant()).Distinct().Take(20).ToList();
        var pages = total / PageSize;
        var warmUp = settings.Quick ? 50 : 100;
        var count = settings.Quick ? 300 : 1000;

        var (sorted, plainForSort) = await LatencyLoop.InterleavedAsync(
            i => TrackApi.GetOkAsync(user, $"/api/library?sort=tempo&order=desc&limit={PageSize}&offset={i * 37 % pages * PageSize}"),
            i => TrackApi.GetOkAsync(user, $"/api/library?limit={PageSize}&offset={i * 37 % pages * PageSize}"),
            warmUp, count, blocks: 10);
        var (searched, plainForSearch) = await LatencyLoop.InterleavedAsync(
            i => TrackApi.GetOkAsync(user, $"/api/library?q={Uri.EscapeDataString(words[i % words.Count])}&limit={PageSize}"),
            i => TrackApi.GetOkAsync(user, $"/api/library?limit={PageSize}&offset={i * 37 % pages * PageSize}"),
            warmUp, count, blocks: 10);

        var shape = $"{total:N0} saved tracks, pages of {PageSize} at offsets spread over the library, {count:N0} sequential requests after {warmUp} warm-up; " +
            "floor = the plain newest-first page of the same server, interleaved in blocks";
        report.Add(new ResultRow("10", "library page sorted by tempo, p99", sorted.P99, plainForSort.P99, "ms", "< 50 ms",
            sorted.Errors == 0 && sorted.P99 < 50 ? Verdict.Pass : Verdict.Fail,
            $"{shape}; p50 {sorted.P50:0.0} ms (floor {plainForSort.P50:0.0} ms), max {sorted.Max:0.0} ms" + Errors(sorted, plainForSort)));
        report.Add(new ResultRow("10", "library page searched (q), p99", searched.P99, plainForSearch.P99, "ms", "< 50 ms",
            searched.Errors == 0 && searched.P99 < 50 ? Verdict.Pass : Verdict.Fail,
            $"{shape}; q rotates over {words.Count} words of the track names (substring of name or artist, whole library); " +
            $"p50 {searched.P50:0.0} ms (floor {plainForSearch.P50:0.0} ms), max {searched.Max:0.0} ms" + Errors(searched, plainForSearch)));
        report.Add(new ResultRow("10", "features of the whole library (plots), one request", featuresMs, null, "ms", "", Verdict.Info,
            $"GET /api/library/features, {total:N0} tracks, first call after the timed loops"));

        var (exportMs, bytes, rows, before, peak) = await ExportAsync(user, stage.Gateway.ProcessId);
        report.Add(new ResultRow("10", "CSV export of the whole library", exportMs / 1000, null, "s", "< 3 s",
            rows == total && exportMs < 3000 ? Verdict.Pass : Verdict.Fail,
            $"GET /api/library/export?format=csv read to its last byte: {rows:N0} rows, {bytes / 1e6:0.0} MB; gateway resident memory " +
            $"{before / 1e6:0} MB before, peak {peak / 1e6:0} MB during (sampled every 20 ms from /proc), i.e. +{(peak - before) / 1e6:0} MB for a {bytes / 1e6:0.0} MB file"));
    }

    private static async Task<(double Ms, long Bytes, int Rows, long RssBefore, long RssPeak)> ExportAsync(HttpClient user, int pid)
    {
        var before = ProcessMemory.ResidentBytes(pid);
        var peak = before;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, ProcessMemory.ResidentBytes(pid));
                await Task.Delay(20, CancellationToken.None);
            }
        });
        long bytes = 0;
        var rows = -1; // the header line
        var started = Stopwatch.GetTimestamp();
        using (var response = await user.GetAsync("/api/library/export?format=csv", HttpCompletionOption.ResponseHeadersRead))
        {
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                bytes += read;
                // Names hold no line breaks in the emulator's library, so CRLFs count the rows.
                rows += buffer.AsSpan(0, read).Count((byte)'\n');
            }
        }
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        stop.Cancel();
        await sampler;
        peak = Math.Max(peak, ProcessMemory.ResidentBytes(pid));
        return (ms, bytes, rows, before, peak);
    }

    private static string Errors(LatencySummary measured, LatencySummary floor) =>
        measured.Errors + floor.Errors == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"; ERRORS: {measured.Errors} measured, {floor.Errors} floor");
}
