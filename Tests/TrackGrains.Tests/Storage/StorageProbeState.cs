namespace TrackGrains.Tests.Storage;

[GenerateSerializer]
[Alias("TrackGrains.Tests.Storage.StorageProbeState")]
public sealed class StorageProbeState
{
    [Id(0)]
    public int Value { get; set; }

    [Id(1)]
    public int Writes { get; set; }

    [Id(2)]
    public string? Note { get; set; }
}
