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
    string? Only = null)
{
    public const int SizeTargetTracks = 10_000;
    public const string DefaultOutput = "artifacts/benchmark.json";

    public static BenchmarkSettings Full(string output) => new(false, output, SizeTargetTracks, 500, 3000, 50, 500, 100, 100, 1000);

    public static BenchmarkSettings QuickRun(string output) => new(true, output, 2000, 200, 1000, 20, 150, 30, 100, 300);

    /// <summary>Null and a message when the arguments are not understood.</summary>
    public static (BenchmarkSettings? Settings, string? Problem) Parse(string[] args)
    {
        var quick = false;
        var output = DefaultOutput;
        string? only = null;
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
                case "--only" when i + 1 < args.Length:
                    only = args[++i];
                    break;
                default:
                    return (null, $"Unknown argument '{args[i]}'. Usage: [--quick] [--out <file.json>] (default {DefaultOutput}) [--only <target>] (e.g. --only 10: the phase of that target alone).");
            }
        }
        return ((quick ? QuickRun(output) : Full(output)) with { Only = only }, null);
    }
}
