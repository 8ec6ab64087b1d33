namespace TrackGrains.Silo.Storage.Copying;

/// <summary>A table of the source and the columns it stores (not the generated ones).</summary>
public sealed record SourceTable(string Name, IReadOnlyList<string> Columns);
