namespace TrackGrains.Grains.Interfaces.Library;

/// <summary>
/// What a finished sync did. <see cref="Total"/> = <see cref="Cached"/> + <see cref="NewFromSpotify"/>, and
/// <see cref="NewFromSpotify"/> = <see cref="FetchedFromSoundCharts"/> + <see cref="NotFound"/> + <see cref="Failed"/>.
/// </summary>
/// <param name="Total">Distinct tracks the sync processed (an incremental sync skips the ones it already had).</param>
/// <param name="Cached">Tracks that were already enriched: no SoundCharts call.</param>
/// <param name="NewFromSpotify">Tracks that were not enriched yet, taken from Spotify and looked up on SoundCharts.</param>
/// <param name="FetchedFromSoundCharts">Of the new ones, enriched by this sync.</param>
/// <param name="NotFound">Of the new ones, not known to SoundCharts (looked up once more later).</param>
/// <param name="Failed">Of the new ones, not enriched when the sync ended (retrying, failed, or waiting for a key).</param>
/// <param name="AddedToLibrary">Saved tracks that were not in the stored library before.</param>
/// <param name="RemovedFromLibrary">Saved tracks a full sync removed because the user no longer has them.</param>
[GenerateSerializer, Immutable, Alias("tg.SyncStats")]
public sealed record SyncStats(
    [property: Id(0)] int Total,
    [property: Id(1)] int Cached,
    [property: Id(2)] int NewFromSpotify,
    [property: Id(3)] int FetchedFromSoundCharts,
    [property: Id(4)] int NotFound,
    [property: Id(5)] int Failed,
    [property: Id(6)] int AddedToLibrary,
    [property: Id(7)] int RemovedFromLibrary,
    [property: Id(8)] SkippedItems Skipped);
