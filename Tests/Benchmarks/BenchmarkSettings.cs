using TrackGrains.Benchmarks.Infrastructure;

namespace TrackGrains.Benchmarks;

/// <summary>How much each phase does. <c>--quick</c> is for a fast check; the full run is the one to quote.</summary>
public sealed record BenchmarkSettings(
    bool Quick,
    string OutputPath,
    int LibrarySize,
    int SingleWarmUp,
    int SingleRequests,
    int BatchWarmUp,
    int BatchRequests,
    int UncachedRequests,
    int RateLimitedTracks,
    int FaultTracks,
    int WorkingSetGrains)
{
    public const int SizeTargetTracks = 10_000;
    public const string DefaultOutput = "artifacts/benchmark.json";
    public const string Both = "both";

    public static readonly IReadOnlyList<string> PhaseNames = ["library", "uncached", "rate-limited", "faults", "working-set", "queries", "recommendations"];

    /// <summary>The storage providers the per-provider phases run on, in order; the first also runs the provider-independent phases.</summary>
    public IReadOnlyList<string> Providers { get; init; } = [StorageBackend.Sqlite, StorageBackend.Postgres];

    /// <summary>The phases to run (<see cref="PhaseNames"/>); all by default.</summary>
    public IReadOnlyList<string> Phases { get; init; } = PhaseNames;

    public static BenchmarkSettings Full(string output) => new(false, output, SizeTargetTracks, 500, 3000, 50, 500, 100, 100, 1000, 100_000);

    public static BenchmarkSettings QuickRun(string output) => new(true, output, 2000, 200, 1000, 20, 150, 30, 100, 300, 20_000);

    private const string Usage =
        "Usage: [--quick] [--provider sqlite|postgres|both] [--phases library,uncached,rate-limited,faults,working-set,queries,recommendations] " +
        $"[--grains <track grains for the working set>] [--out <file.json>] (defaults: both providers, all phases, {DefaultOutput}).";

    /// <summary>Null and a message when the arguments are not understood.</summary>
    public static (BenchmarkSettings? Settings, string? Problem) Parse(string[] args)
    {
        var quick = false;
        var output = DefaultOutput;
        string[] providers = [StorageBackend.Sqlite, StorageBackend.Postgres];
        IReadOnlyList<string> phases = PhaseNames;
        int? grains = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case "--provider" when i + 1 < args.Length:
                    providers = args[++i] switch
                    {
                        StorageBackend.Sqlite => [StorageBackend.Sqlite],
                        StorageBackend.Postgres => [StorageBackend.Postgres],
                        Both => [StorageBackend.Sqlite, StorageBackend.Postgres],
                        var other => [],
                    };
                    if (providers.Length == 0)
                    {
                        return (null, $"--provider '{args[i]}' is not one of sqlite, postgres, both. {Usage}");
                    }
                    break;
                case "--phases" when i + 1 < args.Length:
                    phases = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (phases.FirstOrDefault(p => !PhaseNames.Contains(p)) is { } unknown || phases.Count == 0)
                    {
                        return (null, $"--phases '{args[i]}' names no known phase or an unknown one; the phases are {string.Join(", ", PhaseNames)}. {Usage}");
                    }
                    break;
                // Bounded: each grain is a synced track, and 100,000 takes minutes and about a GB on this machine kind.
                case "--grains" when i + 1 < args.Length:
                    if (!int.TryParse(args[++i], out var n) || n is < 100 or > 200_000)
                    {
                        return (null, $"--grains '{args[i]}' is not a number from 100 to 200000. {Usage}");
                    }
                    grains = n;
                    break;
                default:
                    return (null, $"Unknown argument '{args[i]}'. {Usage}");
            }
        }
        var settings = quick ? QuickRun(output) : Full(output);
        return (settings with { WorkingSetGrains = grains ?? settings.WorkingSetGrains, Providers = providers, Phases = phases }, null);
    }
}
