namespace TrackGrains.Tests.Storage;

/// <summary>
/// The storage tests start silos and hammer one SQLite file each; on a 2-core machine they
/// measure timing, so they must not compete with each other for the CPU.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StorageTestCollection
{
    public const string Name = "sqlite-storage";
}
