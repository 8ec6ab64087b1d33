namespace TrackGrains.Silo.Storage.Copying;

/// <summary>How many rows one table had in the source and holds in the target after the copy.</summary>
public sealed record TableCount(string Table, long Source, long Target)
{
    public bool Matches => Source == Target;
}

/// <summary>What a copy did: the rows per table, the ServiceIds the grain state is keyed by, how long it took.</summary>
public sealed record CopyReport(
    IReadOnlyList<TableCount> Tables,
    IReadOnlyList<string> ServiceIds,
    IReadOnlyList<string> SourceSchemaUpgradedWith,
    TimeSpan Elapsed)
{
    public bool AllCountsMatch => Tables.All(t => t.Matches);

    public long RowsCopied => Tables.Sum(t => t.Target);
}
