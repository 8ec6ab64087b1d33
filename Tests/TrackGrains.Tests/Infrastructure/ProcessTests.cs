namespace TrackGrains.Tests.Infrastructure;

/// <summary>Tests that start real gateway or silo processes run one at a time: each loads the 2-core machine on its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessTests
{
    public const string Name = "process tests";
}
