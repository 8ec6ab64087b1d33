namespace TrackGrains.Tests.Keys;

/// <summary>
/// A throughput measured against a floor of wall-clock time: the other test servers' load on the same cores
/// would be measured with it, so it runs alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing (not parallel)";
}
