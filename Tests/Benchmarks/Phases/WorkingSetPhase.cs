using System.Diagnostics;
using TrackGrains.Benchmarks.Infrastructure;
using TrackGrains.Benchmarks.Reporting;
using TrackGrains.Emulator;
using TrackGrains.Emulator.SoundCharts;
using TrackGrains.Emulator.Spotify;

namespace TrackGrains.Benchmarks.Phases;

/// <summary>
/// The gateway's memory with N track grains active, then after Orleans deactivated them for idleness.
/// A library sync of N tracks stores them (emulator latency 0, so upstream costs nothing); a batch pass
/// over every id then touches each grain, reactivating from storage, as in production, those the
/// collector took during the sync. The grain collection age is shortened for this stage only
/// (Cluster:GrainCollectionAge), so the idle wait is bounded.
/// </summary>
public static class WorkingSetPhase
{
    private const string UserToken = "bench-workingset-user-token";
    private const string UserId = "bench-workingset-user";
    private static readonly TimeSpan CollectionAge = TimeSpan.FromSeconds(60);
    // Collection runs every half age (SiloHostingExtensions), so every idle grain is gone within 1.5 ages; the rest is slack for a busy machine.
    private static readonly TimeSpan IdleWaitLimit = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(BenchmarkSettings settings, Report report, StorageBackend storage)
    {
        var grains = settings.WorkingSetGrains;
        var options = new EmulatorOptions
        {
            SoundChartsKeys = [new SoundChartsKeyOptions { AppId = "bench-workingset", ApiKey = "bench-workingset-key-0001", Quota = 10_000_000, RateLimit = 10_000_000 }],
            SpotifyUsers = [new SpotifyUserOptions { Token = UserToken, UserId = UserId, LibrarySize = grains, PlaylistCount = 0 }],
        };
        var overrides = new Dictionary<string, string?> { ["Cluster:GrainCollectionAge"] = CollectionAge.ToString() };
        await using var stage = await Stage.StartAsync(storage, options, overrides);
        var ids = LibraryPhase.SavedTrackIds(stage, UserId);
        using var user = stage.Gateway.Client(UserToken, TimeSpan.FromMinutes(30));
        using var anonymous = stage.Gateway.Client(null, TimeSpan.FromSeconds(30));

        var started = await MemoryAsync(anonymous);
        await LibraryPhase.SyncAsync(user, ids.Count, report);
        var touch = Stopwatch.StartNew();
        var statuses = await TrackApi.StatusesAsync(user, ids);
        touch.Stop();
        var active = await MemoryAsync(anonymous);

        // Idle: no request reaches the gateway but these scrapes, until the track grains are collected or the limit passes.
        var idleWait = Stopwatch.StartNew();
        var idle = active;
        while (idleWait.Elapsed < IdleWaitLimit)
        {
            await Task.Delay(PollEvery);
            idle = await MemoryAsync(anonymous);
            if (idle.Activations <= started.Activations + 10)
            {
                break;
            }
        }

        // Per grain from start to active: the idle figures cannot give it, since grains collected by Orleans stay in
        // the GC heap until a gen2 collection, which an idle server may not run for a long time.
        var activated = active.Activations - started.Activations;
        var bytesPerGrain = activated > 0 ? (active.WorkingSet - started.WorkingSet) / activated : double.NaN;
        var heapPerGrain = activated > 0 ? (active.GcHeap - started.GcHeap) / activated : double.NaN;
        var activeNote = $"{ids.Count:N0} tracks synced, then every id read once more in batches of 100 ({touch.Elapsed.TotalSeconds:0.0} s, " +
            $"{statuses.Values.Count(s => s == "enriched"):N0} enriched); Orleans activations {Describe(active.Activations)} " +
            $"(at start {Describe(started.Activations)}); GC heap {Mb(active.GcHeap)} (at start {Mb(started.GcHeap)}); " +
            $"working set at start {Mb(started.WorkingSet)}";
        var idleNote = $"after {idleWait.Elapsed.TotalSeconds:0} s idle with Cluster:GrainCollectionAge={CollectionAge}; Orleans activations " +
            $"{Describe(idle.Activations)}; GC heap {Mb(idle.GcHeap)} (heap figures are as of the last GC: memory of collected grains " +
            "returns only when a collection runs, and the working set only when the GC decommits)";
        var perGrainNote = $"(active − at start) / {activated:N0} activations; GC heap per grain {heapPerGrain:0} B; upper bounds: " +
            "they include what the sync and the batch reads left allocated besides the grains";
        report.Add(new ResultRow("WS", $"gateway working set, {ids.Count:N0} track grains active", active.WorkingSet / DatabaseMeasurement.Megabyte, null, "MB", "", Verdict.Info, activeNote));
        report.Add(new ResultRow("WS", "gateway working set after idle deactivation", idle.WorkingSet / DatabaseMeasurement.Megabyte, null, "MB", "", Verdict.Info, idleNote));
        report.Add(new ResultRow("WS", "working set per activated track grain", bytesPerGrain, null, "B", "", Verdict.Info, perGrainNote));
    }

    private static async Task<Memory> MemoryAsync(HttpClient anonymous)
    {
        var metrics = await GatewayMetrics.ReadAsync(anonymous)
            ?? throw new InvalidOperationException("The gateway's /metrics did not answer; the working set cannot be read.");
        return new Memory(
            metrics.Sum("dotnet_process_memory_working_set", anySuffix: true),
            metrics.Sum("dotnet_gc_last_collection_heap_size", anySuffix: true),
            metrics.Sum("orleans_catalog_activations"));
    }

    private static string Mb(double bytes) => Report.Format(bytes / DatabaseMeasurement.Megabyte, "MB");

    private static string Describe(double activations) => double.IsNaN(activations) ? "n/a" : activations.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Bytes, bytes, and the number of grain activations (NaN when a metric is missing).</summary>
    private sealed record Memory(double WorkingSet, double GcHeap, double Activations);
}
