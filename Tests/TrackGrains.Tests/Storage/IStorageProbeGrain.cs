namespace TrackGrains.Tests.Storage;

[Alias("TrackGrains.Tests.Storage.IStorageProbeGrain")]
public interface IStorageProbeGrain : IGrainWithStringKey
{
    /// <summary>Sets the value, counts the write, persists; returns the number of writes so far.</summary>
    [Alias("Write")]
    Task<int> Write(int value, string? note = null);

    [Alias("Read")]
    Task<StorageProbeState> Read();

    /// <summary>The ETag the storage provider last returned.</summary>
    [Alias("ETag")]
    Task<string?> ETag();

    [Alias("Clear")]
    Task Clear();

    /// <summary>Drops the activation so the next call re-reads state from the database.</summary>
    [Alias("Deactivate")]
    Task Deactivate();
}
