namespace TrackGrains.Tests.Stats;

/// <summary>
/// OpenTelemetry listens to meters by name across the whole process, so a scrape would also count
/// what other test servers do. Tests that compare scrapes exactly run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics (not parallel)";
}
