namespace TrackGrains.Grains.Library;

/// <summary>What a sync does with one item of the saved-tracks list.</summary>
public enum SavedItemDecision
{
    /// <summary>Store it and make sure it is enriched.</summary>
    Process,
    /// <summary>Already stored with this added_at (only an incremental sync skips these).</summary>
    Unchanged,
    /// <summary>The first already-known track older than the cursor: everything below it was seen before.</summary>
    Stop,
    SkipNullTrack,
    SkipLocalFile,
    SkipEpisode,
    SkipDuplicate,
    SkipMalformed,
}
