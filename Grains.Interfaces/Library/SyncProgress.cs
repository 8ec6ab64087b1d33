namespace TrackGrains.Grains.Interfaces.Library;

/// <summary>
/// Live counters of a sync. Every counter only grows, so a progress bar can trust them.
/// </summary>
/// <param name="Pages">Spotify pages read.</param>
/// <param name="ItemsScanned">Items read from those pages, quirks included.</param>
/// <param name="Skipped">Items that are not tracks to keep: null tracks, local files, episodes, duplicates, malformed items.</param>
/// <param name="TracksFound">Distinct tracks the sync will process.</param>
/// <param name="TracksDone">Tracks processed (stored and enrichment attempted).</param>
[GenerateSerializer, Immutable, Alias("tg.SyncProgress")]
public sealed record SyncProgress(
    [property: Id(0)] int Pages,
    [property: Id(1)] int ItemsScanned,
    [property: Id(2)] int Skipped,
    [property: Id(3)] int TracksFound,
    [property: Id(4)] int TracksDone)
{
    public static readonly SyncProgress Empty = new(0, 0, 0, 0, 0);
}
