namespace TrackGrains.Grains;

/// <summary>Names of the Orleans providers the grains depend on; the silo registers them.</summary>
public static class GrainStorage
{
    /// <summary>The ADO.NET grain storage on the SQLite file.</summary>
    public const string Name = "tracks";
}
