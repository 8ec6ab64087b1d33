namespace TrackGrains.Silo.Storage.Copying;

/// <summary>A table of the PostgreSQL schema, as its catalog describes it.</summary>
public sealed record TargetTable(string Name, IReadOnlyList<CatalogColumn> Columns)
{
    /// <summary>The column named <paramref name="name"/> (PostgreSQL folds unquoted names to lower case).</summary>
    public CatalogColumn? Column(string name) => Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}
