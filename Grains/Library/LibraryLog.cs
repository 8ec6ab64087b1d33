using Microsoft.Extensions.Logging;
using TrackGrains.Grains.Interfaces.Library;

namespace TrackGrains.Grains.Library;

/// <summary>Sync logging. The user's access token never appears here.</summary>
internal static partial class LibraryLog
{
    [LoggerMessage(6001, LogLevel.Information, "Library {UserId}: sync {SyncId} started ({CollectionType}, full: {Full})")]
    public static partial void SyncStarted(ILogger logger, string userId, string syncId, CollectionType collectionType, bool full);

    [LoggerMessage(6002, LogLevel.Information, "Library {UserId}: sync {SyncId} completed: {Total} tracks, {New} new, {Fetched} fetched, {Failed} not enriched")]
    public static partial void SyncCompleted(ILogger logger, string userId, string syncId, int total, int @new, int fetched, int failed);

    [LoggerMessage(6003, LogLevel.Warning, "Library {UserId}: sync {SyncId} failed ({Failure}): {Error}")]
    public static partial void SyncFailed(ILogger logger, string userId, string syncId, SyncFailure failure, string error);

    [LoggerMessage(6004, LogLevel.Warning, "Library {UserId}: track {TrackId} could not be processed")]
    public static partial void TrackFailed(ILogger logger, string userId, string trackId, Exception exception);

    [LoggerMessage(6005, LogLevel.Information, "Library {UserId}: playlist {PlaylistId} skipped, Spotify answered {Status}")]
    public static partial void PlaylistSkipped(ILogger logger, string userId, string playlistId, int status);

    [LoggerMessage(6006, LogLevel.Warning, "Library {UserId}: sync {SyncId} was interrupted by a restart")]
    public static partial void SyncInterrupted(ILogger logger, string userId, string syncId);

    [LoggerMessage(6007, LogLevel.Error, "Library {UserId}: could not persist the state of sync {SyncId}")]
    public static partial void StateWriteFailed(ILogger logger, string userId, string syncId, Exception exception);

    [LoggerMessage(6008, LogLevel.Information,
        "Library {UserId}: sync {SyncId} waits for the daily budget of {Limit} SoundCharts calls, which renews at {ResetsAt:o}; no track is dropped")]
    public static partial void WaitingForBudget(ILogger logger, string userId, string syncId, long limit, DateTimeOffset resetsAt);
}
