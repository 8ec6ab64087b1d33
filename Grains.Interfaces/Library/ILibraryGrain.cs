namespace TrackGrains.Grains.Interfaces.Library;

/// <summary>
/// One Spotify user's library (key: the Spotify user id): the saved tracks with added_at, the
/// incremental-sync cursor, the running sync and its progress.
/// </summary>
[Alias("tg.ILibraryGrain")]
public interface ILibraryGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts a sync in the background, or joins the one running. The token is used for this sync's
    /// Spotify calls only; it is kept in memory while the sync runs and never stored.
    /// </summary>
    [Alias("StartSync")]
    Task<SyncStatus> StartSyncAsync(SyncRequest request, string spotifyAccessToken);

    /// <summary>The sync with this id, if it belongs to this user and is still remembered.</summary>
    [Alias("GetSync")]
    Task<SyncStatus?> GetSyncAsync(string syncId);

    /// <summary>Answers when the sync has a version newer than <paramref name="afterVersion"/>, has ended, or <paramref name="maxWait"/> passed.</summary>
    [Alias("WatchSync")]
    Task<SyncStatus?> WatchSyncAsync(string syncId, long afterVersion, TimeSpan maxWait);

    /// <summary>Answers when the sync has ended or <paramref name="maxWait"/> passed.</summary>
    [Alias("WaitForSync")]
    Task<SyncStatus?> WaitForSyncAsync(string syncId, TimeSpan maxWait);

    /// <summary>The tracks the latest finished sync processed; null when that is not this sync or it is no longer held.</summary>
    [Alias("GetSyncTracks")]
    Task<IReadOnlyList<SyncedTrack>?> GetSyncTracksAsync(string syncId);
}
