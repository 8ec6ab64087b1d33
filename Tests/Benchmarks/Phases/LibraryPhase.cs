using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using TrackGrains.Benchmarks.Infrastructure;
using TrackGrains.Benchmarks.Reporting;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;

namespace TrackGrains.Benchmarks.Phases;

/// <summary>
/// Targets 1, 2, 5 and 6 on one server: a Spotify library sync stores and enriches N tracks (their
/// Spotify objects included), the cached reads are timed against /health/live of the same server,
/// a repeat pass checks that no read reaches SoundCharts, and the stopped server's database is measured
/// (the SQLite file, or the PostgreSQL tables).
/// </summary>
public static class LibraryPhase
{
    // Tokens and keys of the emulator: they open nothing outside this process.
    private const string UserToken = "bench-library-user-token";
    private const string UserId = "bench-library-user";
    private const string AppId = "bench-library";
    private const string ApiKey = "bench-library-key-0001";
    private const int PayloadSamples = 20;

    public static async Task RunAsync(BenchmarkSettings settings, Report report, StorageBackend storage)
    {
        var options = new EmulatorOptions
        {
            SoundChartsKeys = [new SoundChartsKeyOptions { AppId = AppId, ApiKey = ApiKey, Quota = 10_000_000, RateLimit = 10_000_000 }],
            SpotifyUsers = [new SpotifyUserOptions { Token = UserToken, UserId = UserId, LibrarySize = settings.LibrarySize, PlaylistCount = 0 }],
        };
        await using var stage = await Stage.StartAsync(storage, options, new Dictionary<string, string?>());
        var ids = SavedTrackIds(stage, UserId);

        using var user = stage.Gateway.Client(UserToken, TimeSpan.FromMinutes(5));
        using var anonymous = stage.Gateway.Client(null, TimeSpan.FromSeconds(30));

        var enrichedBySync = await SyncAsync(user, ids.Count, report);

        var soundCharts = stage.Emulator.State.SoundCharts.Counters;
        var spotify = stage.Emulator.State.Spotify.Counters;
        var songCallsBefore = soundCharts.SongCalls;
        var spotifyCallsBefore = spotify.ApiCalls;
        long tracksRead = 0;

        tracksRead += await CachedSingleAsync(settings, report, user, anonymous, ids);
        tracksRead += await CachedBatchAsync(settings, report, user, anonymous, ids);
        tracksRead += await RepeatPassAsync(report, user, ids, enrichedBySync, soundCharts.SongCalls - songCallsBefore,
            () => (soundCharts.SongCalls - songCallsBefore, spotify.ApiCalls - spotifyCallsBefore), tracksReadBefore: tracksRead);

        await stage.Gateway.StopAsync(TimeSpan.FromSeconds(30));
        var payloads = await SamplePayloadsAsync(stage.Emulator.BaseUrl, ids);
        var database = stage.PostgresConnectionString is { } connectionString
            ? await PostgresDatabase.MeasureAsync(connectionString)
            : SqliteFile.CheckpointAndMeasure(stage.DatabasePath);
        ReportSize(report, database, payloads);
    }

    /// <summary>The distinct ids of the tracks in an emulated user's saved library.</summary>
    public static List<string> SavedTrackIds(Stage stage, string userId) =>
        stage.Emulator.State.Spotify.GetUser(userId)!.Library
            .Where(i => i.Kind == SavedItemKind.Track && i.Id is not null).Select(i => i.Id!).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>POST /api/sync?wait=true of the user's whole library; reports its duration and returns how many tracks ended enriched.</summary>
    public static async Task<int> SyncAsync(HttpClient user, int librarySize, Report report)
    {
        byte[] body = [];
        var statusCode = 0;
        var seconds = await LatencyLoop.TimeOneAsync(async () =>
        {
            using var response = await user.PostAsync("/api/sync?wait=true", null);
            statusCode = (int)response.StatusCode;
            body = await response.Content.ReadAsByteArrayAsync();
        }) / 1000;
        if (statusCode != 200)
        {
            throw new InvalidOperationException($"POST /api/sync?wait=true answered {statusCode}: {TrackApi.Truncate(body)}");
        }
        using var document = JsonDocument.Parse(body);
        var enriched = document.RootElement.GetProperty("tracks").EnumerateArray()
            .Count(t => t.GetProperty("enrichment").GetProperty("status").GetString() == "enriched");
        report.Add(new ResultRow("5", $"library sync: {librarySize:N0} saved tracks stored and enriched", seconds, null, "s", "", Verdict.Info,
            $"{enriched:N0} of {librarySize:N0} enriched, {librarySize / seconds:0} tracks/s (one key without a binding limit, emulator latency 0)"));
        return enriched;
    }

    private static async Task<long> CachedSingleAsync(BenchmarkSettings settings, Report report, HttpClient user, HttpClient anonymous, List<string> ids)
    {
        var gcBefore = await ServerGc.ReadAsync(anonymous);
        var (measured, floor) = await LatencyLoop.InterleavedAsync(
            i => TrackApi.GetOkAsync(user, $"/api/tracks/{ids[i % ids.Count]}"),
            _ => TrackApi.GetOkAsync(anonymous, "/health/live"),
            settings.SingleWarmUp, settings.SingleRequests, blocks: 10);
        var gcAfter = await ServerGc.ReadAsync(anonymous);
        var bytes = await ResponseBytesAsync(user, $"/api/tracks/{ids[0]}");
        var note = $"{measured.Count:N0} sequential requests after {settings.SingleWarmUp} warm-up, one connection; floor = GET /health/live of the same " +
            $"server, interleaved in blocks; response {bytes:N0} B; max {measured.Max:0.0} ms (floor {floor.Max:0.0} ms); " +
            ServerGc.Describe(gcBefore, gcAfter) + Errors(measured, floor);
        report.Add(new ResultRow("1", "cached single track GET, p50", measured.P50, floor.P50, "ms", "", Verdict.Info));
        report.Add(new ResultRow("1", "cached single track GET, p99", measured.P99, floor.P99, "ms", "< 5 ms",
            measured.Errors == 0 && measured.P99 < 5 ? Verdict.Pass : Verdict.Fail, note));
        return settings.SingleWarmUp + settings.SingleRequests;
    }

    private static async Task<long> CachedBatchAsync(BenchmarkSettings settings, Report report, HttpClient user, HttpClient anonymous, List<string> ids)
    {
        var bodies = ids.Chunk(TrackApi.MaxBatch).Where(c => c.Length == TrackApi.MaxBatch).Select(TrackApi.BatchBody).ToList();
        var gcBefore = await ServerGc.ReadAsync(anonymous);
        var (measured, floor) = await LatencyLoop.InterleavedAsync(
            i => TrackApi.PostBatchOkAsync(user, bodies[i % bodies.Count]),
            _ => TrackApi.GetOkAsync(anonymous, "/health/live"),
            settings.BatchWarmUp, settings.BatchRequests, blocks: 10);
        var gcAfter = await ServerGc.ReadAsync(anonymous);
        var sample = await TrackApi.BatchAsync(user, ids.Take(TrackApi.MaxBatch).ToList());
        var note = $"{measured.Count:N0} sequential POST /api/tracks/batch of 100 cached ids (rotating over {bodies.Count} distinct batches); " +
            $"floor = GET /health/live, interleaved; response {sample.ResponseBytes:N0} B ({sample.Cached} of 100 reported cached); " +
            $"p90 {measured.P90:0.0} ms, max {measured.Max:0.0} ms; " + ServerGc.Describe(gcBefore, gcAfter) + Errors(measured, floor);
        report.Add(new ResultRow("2", "cached batch of 100, p50", measured.P50, floor.P50, "ms", "", Verdict.Info));
        report.Add(new ResultRow("2", "cached batch of 100, p99", measured.P99, floor.P99, "ms", "< 25 ms",
            measured.Errors == 0 && measured.P99 < 25 ? Verdict.Pass : Verdict.Fail, note));
        return (long)(settings.BatchWarmUp + settings.BatchRequests) * TrackApi.MaxBatch + TrackApi.MaxBatch;
    }

    private static async Task<long> RepeatPassAsync(Report report, HttpClient user, List<string> ids, int enrichedBySync, long callsDuringTiming,
        Func<(long SongCalls, long SpotifyCalls)> upstreamCalls, long tracksReadBefore)
    {
        var statuses = await TrackApi.StatusesAsync(user, ids);
        var notEnriched = statuses.Values.Count(s => s != "enriched");
        var tracksRead = tracksReadBefore + ids.Count;
        var (songCalls, spotifyCalls) = upstreamCalls();
        var served = 100.0 * (tracksRead - songCalls) / tracksRead;
        report.Add(new ResultRow("6", "repeat reads served without an upstream call", served, null, "%", "100 %",
            songCalls == 0 ? Verdict.Pass : Verdict.Fail,
            $"{tracksRead:N0} track reads after the sync (targets 1 and 2, then every id once more in batches): {songCalls} SoundCharts song calls " +
            $"({callsDuringTiming} during the timed loops), {spotifyCalls} Spotify API calls; {enrichedBySync:N0} tracks enriched by the sync, " +
            $"{notEnriched} of {ids.Count:N0} not enriched on the repeat pass"));
        return ids.Count;
    }

    private static void ReportSize(Report report, DatabaseMeasurement db, PayloadSample payloads)
    {
        const double megabyte = DatabaseMeasurement.Megabyte;
        var enriched = Math.Max(1, db.EnrichedTracks);
        var scale = (double)BenchmarkSettings.SizeTargetTracks / enriched;
        var measuredMb = db.Bytes / megabyte * scale;
        var rawMb = (payloads.SpotifyBytes + payloads.SoundChartsBytes) * BenchmarkSettings.SizeTargetTracks / megabyte;
        var extrapolated = db.EnrichedTracks != BenchmarkSettings.SizeTargetTracks;
        var tables = string.Join(", ", db.Tables.Take(6).Select(t => $"{t.Name} {t.Bytes / megabyte:0.0}"));
        var note = (extrapolated
                ? $"EXTRAPOLATED ×{scale:0.##} from {db.EnrichedTracks:N0} enriched tracks ({db.Bytes / megabyte:0.0} MB measured); "
                : $"measured on {db.EnrichedTracks:N0} enriched tracks; ") +
            $"{db.HowMeasured}; " +
            $"{db.TracksWithSpotifyData:N0} rows with Spotify JSON; stored (Brotli) per track: Spotify {db.SpotifyBlobBytes / (double)enriched:0} B, " +
            $"SoundCharts {db.SoundChartsBlobBytes / (double)enriched:0} B; raw JSON per track from the emulator: Spotify {payloads.SpotifyBytes:0} B, " +
            $"SoundCharts {payloads.SoundChartsBytes:0} B (floor = raw JSON of 10,000 tracks)" +
            (tables.Length > 0 ? $"; by table/index (MB): {tables}" : "");
        report.Add(new ResultRow("5", extrapolated ? "database size, 10,000 tracks (extrapolated)" : "database size, 10,000 tracks",
            measuredMb, rawMb, "MB", "< 40 MB", measuredMb < 40 ? Verdict.Pass : Verdict.Fail, note));
    }

    /// <summary>Average raw JSON sizes of a few tracks, as the emulator's Spotify and SoundCharts endpoints send them.</summary>
    private static async Task<PayloadSample> SamplePayloadsAsync(string emulatorUrl, List<string> ids)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(emulatorUrl), Timeout = TimeSpan.FromSeconds(30) };
        long spotifyBytes = 0;
        long soundChartsBytes = 0;
        var sample = ids.Take(PayloadSamples).ToList();
        foreach (var id in sample)
        {
            using var spotify = new HttpRequestMessage(HttpMethod.Get, $"/v1/tracks/{id}");
            spotify.Headers.Authorization = new AuthenticationHeaderValue("Bearer", UserToken);
            spotifyBytes += await BodyLengthAsync(http, spotify);

            using var song = new HttpRequestMessage(HttpMethod.Get, $"/api/v2.25/song/by-platform/spotify/{id}");
            song.Headers.Add("x-app-id", AppId);
            song.Headers.Add("x-api-key", ApiKey);
            soundChartsBytes += await BodyLengthAsync(http, song);
        }
        return new PayloadSample(spotifyBytes / (double)sample.Count, soundChartsBytes / (double)sample.Count);
    }

    private static async Task<long> BodyLengthAsync(HttpClient http, HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{request.RequestUri} answered {(int)response.StatusCode}");
        }
        return body.Length;
    }

    private static async Task<int> ResponseBytesAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }

    private static string Errors(LatencySummary measured, LatencySummary floor) =>
        measured.Errors + floor.Errors == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"; ERRORS: {measured.Errors} measured, {floor.Errors} floor");

    private sealed record PayloadSample(double SpotifyBytes, double SoundChartsBytes);
}
