namespace TrackGrains.Grains.Interfaces.Library;

/// <param name="Full">Walk every saved track instead of stopping at the cursor, and remove the ones the user no longer has.</param>
[GenerateSerializer, Immutable, Alias("tg.SyncRequest")]
public sealed record SyncRequest(
    [property: Id(0)] CollectionType CollectionType,
    [property: Id(1)] bool Full);
