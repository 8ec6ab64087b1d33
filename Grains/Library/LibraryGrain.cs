using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using TrackGrains.Grains.Interfaces.Library;
using TrackGrains.Grains.ReadModel;
using TrackGrains.Grains.Spotify;

namespace TrackGrains.Grains.Library;

/// <summary>
/// One Spotify user's library. A sync runs as a background task on this grain's scheduler, so a
/// start request answers at once; the grain is reentrant so that status, watch and listing calls
/// are served while the sync (and anyone waiting for it) is in progress. Every state change happens
/// between awaits on this scheduler; state writes go through one chain so they never overlap.
/// </summary>
[Reentrant]
public sealed class LibraryGrain(
    [PersistentState("library", GrainStorage.Name)] IPersistentState<LibraryState> store,
    LibraryStore library,
    SpotifyApiClient spotify,
    TimeProvider time,
    ILogger<LibraryGrain> logger) : Grain, ILibraryGrain
{
    private const int RememberedSyncs = 20;

    /// <summary>Each sign of life of a running sync keeps the grain active at least this long.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromMinutes(5);

    /// <summary>How long a finished sync's track list stays in memory for <c>?wait=true</c> callers to collect.</summary>
    private static readonly TimeSpan TracksKept = TimeSpan.FromMinutes(2);

    private SyncRun? _running;
    private (string SyncId, IReadOnlyList<SyncedTrack> Tracks)? _lastTracks;
    private IGrainTimer? _forgetTracks;
    private Task _writes = Task.CompletedTask;

    private string UserId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A sync still "running" in stored state ran in an activation that is gone (a restart or a crash).
        var interrupted = store.State.Syncs.Where(s => s.State == SyncState.Running).ToList();
        if (interrupted.Count > 0)
        {
            var now = time.GetUtcNow();
            foreach (var sync in interrupted)
            {
                LibraryLog.SyncInterrupted(logger, UserId, sync.SyncId);
                Remember(sync with
                {
                    State = SyncState.Failed,
                    FinishedAt = now,
                    Failure = SyncFailure.Interrupted,
                    Error = "The server stopped while this sync ran; the tracks it stored are kept. Start the sync again with POST /api/sync.",
                    Version = sync.Version + 1,
                });
            }
            await WriteStateAsync();
        }
        await base.OnActivateAsync(cancellationToken);
    }

    public async Task<SyncStatus> StartSyncAsync(SyncRequest request, string spotifyAccessToken)
    {
        if (_running is { } running)
        {
            return running.Running();
        }

        // Everything up to the first await runs without interleaving, so a second start joins this run.
        // After a sync that did not complete (a restart, a failure), the saved tracks it stored may not all be
        // enriched yet, and the cursor did not move past them: this run gives them their enrichment too
        // (an enriched track answers from its grain at no cost).
        var finishUnfinished = store.State.Syncs.Count > 0 && store.State.Syncs[^1].State != SyncState.Completed;
        var run = new SyncRun(Guid.NewGuid().ToString("N"), request, spotifyAccessToken, time.GetUtcNow()) { FinishUnfinished = finishUnfinished };
        _running = run;
        ForgetTracks();
        var status = run.Running();
        Remember(status);
        DelayDeactivation(KeepAlive);
        LibraryLog.SyncStarted(logger, UserId, run.SyncId, request.CollectionType, request.Full);
        _ = RunAsync(run);
        await WriteStateAsync();
        return status;
    }

    public Task<SyncStatus?> GetSyncAsync(string syncId) => Task.FromResult(Find(syncId));

    public async Task<SyncStatus?> WatchSyncAsync(string syncId, long afterVersion, TimeSpan maxWait)
    {
        if (_running is { } run && run.SyncId == syncId && run.Version <= afterVersion)
        {
            await WaitAsync(Task.WhenAny(run.NextChange, run.Completion.Task), maxWait);
        }
        return Find(syncId);
    }

    public async Task<SyncStatus?> WaitForSyncAsync(string syncId, TimeSpan maxWait)
    {
        if (_running is { } run && run.SyncId == syncId)
        {
            await WaitAsync(run.Completion.Task, maxWait);
        }
        return Find(syncId);
    }

    public Task<IReadOnlyList<SyncedTrack>?> GetSyncTracksAsync(string syncId) =>
        Task.FromResult(_lastTracks is { } last && last.SyncId == syncId ? last.Tracks : null);

    private async Task RunAsync(SyncRun run)
    {
        SyncStatus final;
        try
        {
            var sync = new LibrarySync(UserId, run, run.AccessToken!, spotify, library, GrainFactory,
                atLeast => DelayDeactivation(atLeast > KeepAlive ? atLeast : KeepAlive), time, logger, enrichKnownItems: run.FinishUnfinished);
            var walked = await sync.RunAsync(run.Request.Full ? null : store.State.Cursor);
            if (walked is { } newest)
            {
                // A full walk saw the whole list, so its newest item is the cursor; an incremental one only moves it forward.
                store.State.Cursor = run.Request.Full || store.State.Cursor is null || newest > store.State.Cursor ? newest : store.State.Cursor;
            }
            final = run.Finished(time.GetUtcNow(), SyncFailure.None, null);
            LibraryLog.SyncCompleted(logger, UserId, run.SyncId, final.Stats!.Total, final.Stats.NewFromSpotify, final.Stats.FetchedFromSoundCharts, final.Stats.Failed);
        }
        catch (Exception ex)
        {
            var (failure, error) = Describe(ex, run);
            final = run.Finished(time.GetUtcNow(), failure, error);
            LibraryLog.SyncFailed(logger, UserId, run.SyncId, failure, error);
        }

        run.AccessToken = null;
        _running = null;
        _lastTracks = (run.SyncId, run.Tracks.OrderByDescending(t => t.AddedAt).ToList());
        // A big library's list is large (Spotify JSON included): hold it only while waiters collect it.
        _forgetTracks = this.RegisterGrainTimer(static grain => { grain.ForgetTracks(); return Task.CompletedTask; }, this,
            new GrainTimerCreationOptions(TracksKept, Timeout.InfiniteTimeSpan));
        Remember(final);
        try
        {
            await WriteStateAsync();
        }
        catch (Exception ex)
        {
            LibraryLog.StateWriteFailed(logger, UserId, run.SyncId, ex);
        }
        run.Completion.TrySetResult(final);
    }

    private static (SyncFailure Failure, string Error) Describe(Exception ex, SyncRun run)
    {
        var kept = $"the {run.TracksDone} tracks synced so far are kept";
        return ex switch
        {
            SpotifyApiException { TokenRejected: true } rejected => (SyncFailure.TokenRejected,
                $"Spotify token expired or was revoked (401: {rejected.SpotifyMessage}); {kept}. " +
                "Reconnect Spotify (sign in again) and start the sync again: it continues where this one stopped."),
            SpotifyApiException { Status: 429 } rate => (SyncFailure.RateLimited,
                $"Spotify kept rate-limiting the requests (429{RetryHint(rate.RetryAfter)}); {kept}. Start the sync again later."),
            SpotifyApiException other => (SyncFailure.Upstream,
                $"Spotify failed ({other.Status}: {other.SpotifyMessage}); {kept}. Start the sync again in a moment."),
            _ => (SyncFailure.Upstream, $"The sync stopped on an unexpected error ({ex.GetType().Name}); {kept}. Start the sync again."),
        };
    }

    private static string RetryHint(TimeSpan? retryAfter) =>
        retryAfter is { } after ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $", retry after {after.TotalSeconds:0} s") : "";

    private void ForgetTracks()
    {
        _forgetTracks?.Dispose();
        _forgetTracks = null;
        _lastTracks = null;
    }

    private SyncStatus? Find(string syncId)
    {
        if (_running is { } run && run.SyncId == syncId)
        {
            return run.Running();
        }
        return store.State.Syncs.FindLast(s => s.SyncId == syncId);
    }

    private void Remember(SyncStatus status)
    {
        var syncs = store.State.Syncs;
        var index = syncs.FindIndex(s => s.SyncId == status.SyncId);
        if (index >= 0)
        {
            syncs[index] = status;
        }
        else
        {
            syncs.Add(status);
            if (syncs.Count > RememberedSyncs)
            {
                syncs.RemoveRange(0, syncs.Count - RememberedSyncs);
            }
        }
    }

    private async Task WaitAsync(Task task, TimeSpan maxWait)
    {
        try
        {
            await task.WaitAsync(maxWait, time);
        }
        catch (TimeoutException)
        {
            // The caller asks again; the answer is the status as it stands.
        }
    }

    /// <summary>Writes the state after any write already under way, so a reentrant grain never has two writes out.</summary>
    private Task WriteStateAsync()
    {
        var previous = _writes;
        var next = WriteAfterAsync(previous);
        _writes = next;
        return next;

        async Task WriteAfterAsync(Task before)
        {
            try
            {
                await before;
            }
            catch
            {
                // That write's own caller saw its failure; this write carries the latest state anyway.
            }
            await store.WriteStateAsync();
        }
    }
}
