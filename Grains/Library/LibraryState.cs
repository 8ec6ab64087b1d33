using TrackGrains.Grains.Interfaces.Library;

namespace TrackGrains.Grains.Library;

/// <summary>
/// A library grain's persisted state, kept small on purpose: the saved tracks themselves live in
/// the library_tracks table. Ids are never renumbered.
/// </summary>
[GenerateSerializer, Alias("tg.LibraryState")]
public sealed class LibraryState
{
    /// <summary>The newest added_at among the saved tracks seen by the last sync that completed its walk.</summary>
    [Id(0)] public DateTimeOffset? Cursor { get; set; }

    /// <summary>The latest syncs, oldest first (a few dozen at most), so a sync id keeps answering after it ends.</summary>
    [Id(1)] public List<SyncStatus> Syncs { get; set; } = [];
}
