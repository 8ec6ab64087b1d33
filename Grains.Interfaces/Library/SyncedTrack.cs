using TrackGrains.Grains.Interfaces.Tracks;

namespace TrackGrains.Grains.Interfaces.Library;

/// <summary>A track a sync processed, as its grain answered, with when the user added it (null for some playlist items).</summary>
[GenerateSerializer, Immutable, Alias("tg.SyncedTrack")]
public sealed record SyncedTrack(
    [property: Id(0)] TrackView Track,
    [property: Id(1)] DateTimeOffset? AddedAt);
