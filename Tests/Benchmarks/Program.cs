using TrackGrains.Benchmarks;
using TrackGrains.Benchmarks.Infrastructure;
using TrackGrains.Benchmarks.Phases;
using TrackGrains.Benchmarks.Reporting;
using TrackGrains.Testing;

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

// One durable PostgreSQL server (fsync on, PostgreSQL's defaults) for the run; every stage gets its own database.
await using var postgres = settings.Providers.Contains(StorageBackend.Postgres) ? await PostgresServer.StartAsync(durable: true) : null;
var backends = settings.Providers
    .Select(p => p == StorageBackend.Postgres ? StorageBackend.ForPostgres(postgres!) : StorageBackend.ForSqlite())
    .ToList();

var report = new Report(mode, command, machine);
// Storage-bound phases run on every provider; the key-scheduling ones measure our rate and retry logic, not
// the database, so they run once, on the first provider.
var phases = new (string Id, string Targets, string Name, bool PerProvider, Func<BenchmarkSettings, Report, StorageBackend, Task> Run)[]
{
    ("library", "1 2 5 6", "library: sync, cached reads, repeat reads, database size", true, LibraryPhase.RunAsync),
    ("uncached", "3", "uncached fetch overhead", true, UncachedOverheadPhase.RunAsync),
    ("rate-limited", "4", "rate-limited keys", false, RateLimitedPhase.RunAsync),
    ("faults", "7", "recovery under transient faults", false, FaultRecoveryPhase.RunAsync),
    ("working-set", "WS", $"working set with {settings.WorkingSetGrains:N0} track grains, then idle", true, WorkingSetPhase.RunAsync),
    ("queries", "10", "library queries: sorted and searched pages, export, on 10,000 tracks", true, LibraryQueriesPhase.RunAsync),
    ("recommendations", "12", $"recommendations over a {RecommendationsPhase.CatalogueSize:N0}-track catalogue", true, RecommendationsPhase.RunAsync),
};
var harnessFailed = false;
foreach (var (id, targets, name, perProvider, run) in phases.Where(p => settings.Phases.Contains(p.Id)))
{
    foreach (var backend in perProvider ? backends : backends.Take(1))
    {
        Console.WriteLine($"Phase {name} (targets {targets}) on {backend.Name}…");
        report.CurrentStorage = backend.Name;
        try
        {
            await run(settings, report, backend);
        }
        catch (Exception ex)
        {
            harnessFailed = true;
            report.Add(ResultRow.Failed(targets, name, $"{ex.GetType().Name}: {ex.Message}", backend.Name));
        }
    }
}

Console.WriteLine();
Console.WriteLine(report.Table());
await report.WriteJsonAsync(settings.OutputPath);
Console.WriteLine($"JSON written to {Path.GetFullPath(settings.OutputPath)}");
return harnessFailed ? 1 : 0;
