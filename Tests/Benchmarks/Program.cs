using TrackGrains.Benchmarks;
using TrackGrains.Benchmarks.Phases;
using TrackGrains.Benchmarks.Reporting;

// Measures SPEC section 8 against the real gateway process and reports; it never gates a build.
// Exit code 0 unless the harness itself could not measure something.
var (settings, problem) = BenchmarkSettings.Parse(args);
if (settings is null)
{
    Console.Error.WriteLine(problem);
    return 2;
}

var machine = MachineInfo.Current();
var mode = settings.Quick ? "quick" : "full";
var command = "dotnet run -c Release --project Tests/Benchmarks --" + (args.Length > 0 ? " " + string.Join(" ", args) : "");
Console.WriteLine($"TrackGrains benchmark ({mode}), {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, {machine.Cores} cores ({machine.Cpu}), {machine.Runtime}, {machine.Configuration} build");
if (machine.Configuration != "Release")
{
    Console.WriteLine("WARNING: this is not a Release build; the numbers say little. Run with -c Release.");
}

var report = new Report(mode, command, machine);
var phases = new (string Targets, string Name, Func<BenchmarkSettings, Report, Task> Run)[]
{
    ("1 2 5 6", "library: sync, cached reads, repeat reads, database size", LibraryPhase.RunAsync),
    ("3", "uncached fetch overhead", UncachedOverheadPhase.RunAsync),
    ("4", "rate-limited keys", RateLimitedPhase.RunAsync),
    ("7", "recovery under transient faults", FaultRecoveryPhase.RunAsync),
    ("10", "library queries: sorted and searched pages, export, on 10,000 tracks", LibraryQueriesPhase.RunAsync),
};
var harnessFailed = false;
foreach (var (targets, name, run) in phases.Where(p => settings.Only is null || p.Targets.Split(' ').Contains(settings.Only)))
{
    Console.WriteLine($"Phase {name} (targets {targets})…");
    try
    {
        await run(settings, report);
    }
    catch (Exception ex)
    {
        harnessFailed = true;
        report.Add(ResultRow.Failed(targets, name, $"{ex.GetType().Name}: {ex.Message}"));
    }
}

Console.WriteLine();
Console.WriteLine(report.Table());
await report.WriteJsonAsync(settings.OutputPath);
Console.WriteLine($"JSON written to {Path.GetFullPath(settings.OutputPath)}");
return harnessFailed ? 1 : 0;
