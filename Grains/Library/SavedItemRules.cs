using TrackGrains.Grains.Spotify;

namespace TrackGrains.Grains.Library;

/// <summary>The incremental-sync and quirk rules for saved tracks, as pure functions.</summary>
public static class SavedItemRules
{
    /// <summary>The skip decision for an item that is not a track (saved lists and playlists alike); null for a track.</summary>
    public static SavedItemDecision? SkipFor(SpotifyItemKind kind) => kind switch
    {
        SpotifyItemKind.NullTrack => SavedItemDecision.SkipNullTrack,
        SpotifyItemKind.LocalFile => SavedItemDecision.SkipLocalFile,
        SpotifyItemKind.Episode => SavedItemDecision.SkipEpisode,
        SpotifyItemKind.Malformed => SavedItemDecision.SkipMalformed,
        _ => null,
    };

    /// <param name="known">The stored library when the sync began: track id to added_at.</param>
    /// <param name="cursor">The newest added_at the last completed walk saw; null means walk everything.</param>
    /// <param name="incremental">False for a full sync, which never stops early.</param>
    /// <param name="seen">Track ids this sync already met; the item's id is added when it is a track.</param>
    public static SavedItemDecision Decide(
        SpotifyLibraryItem item,
        IReadOnlyDictionary<string, DateTimeOffset> known,
        DateTimeOffset? cursor,
        bool incremental,
        HashSet<string> seen)
    {
        if (SkipFor(item.Kind) is { } skip)
        {
            return skip;
        }
        if (item.TrackId is not { } id || item.AddedAt is not { } addedAt)
        {
            // A saved track without added_at cannot be placed in the library or compared with the cursor.
            return SavedItemDecision.SkipMalformed;
        }

        var isKnown = known.TryGetValue(id, out var knownAt);
        // Strictly older: items at the cursor's own second are walked through, because Spotify's
        // one-second added_at can give a newly saved track the same time as the newest known one.
        if (incremental && isKnown && addedAt < cursor)
        {
            return SavedItemDecision.Stop;
        }

        // Pages come newest first, so the first occurrence of a track is its latest save: the library
        // keeps the NEWEST added_at of a duplicated track, where the user's own Spotify list shows it.
        if (!seen.Add(id))
        {
            return SavedItemDecision.SkipDuplicate;
        }
        return incremental && isKnown && knownAt == addedAt ? SavedItemDecision.Unchanged : SavedItemDecision.Process;
    }
}
