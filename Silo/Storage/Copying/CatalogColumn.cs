namespace TrackGrains.Silo.Storage.Copying;

/// <summary>A column as <c>information_schema.columns</c> describes it.</summary>
public sealed record CatalogColumn(string Name, string DataType, bool Generated);
