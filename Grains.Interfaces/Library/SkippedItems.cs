namespace TrackGrains.Grains.Interfaces.Library;

/// <summary>Items a sync read but did not keep, by reason.</summary>
[GenerateSerializer, Immutable, Alias("tg.SkippedItems")]
public sealed record SkippedItems(
    [property: Id(0)] int NullTracks,
    [property: Id(1)] int LocalFiles,
    [property: Id(2)] int Episodes,
    [property: Id(3)] int Duplicates,
    [property: Id(4)] int Malformed)
{
    public static readonly SkippedItems None = new(0, 0, 0, 0, 0);

    public int Total => NullTracks + LocalFiles + Episodes + Duplicates + Malformed;
}
