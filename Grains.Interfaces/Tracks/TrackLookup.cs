using TrackGrains.Grains.Interfaces.Access;

namespace TrackGrains.Grains.Interfaces.Tracks;

/// <summary>The answer to a request to make a track enriched.</summary>
/// <param name="WasCached">The track was already enriched before this call; no upstream call was made.</param>
/// <param name="FetchedNow">This call enriched the track from SoundCharts.</param>
/// <param name="NoKeyAvailable">No SoundCharts key could serve; the track waits for one.</param>
/// <param name="BudgetRefused">Set when the paying user's daily budget was spent: no attempt was made.</param>
[GenerateSerializer, Immutable, Alias("tg.TrackLookup")]
public sealed record TrackLookup(
    [property: Id(0)] TrackView Track,
    [property: Id(1)] bool WasCached,
    [property: Id(2)] bool FetchedNow,
    [property: Id(3)] bool NoKeyAvailable,
    [property: Id(4)] BudgetGrant? BudgetRefused = null);
