using TrackGrains.Grains.Interfaces.Library;
using TrackGrains.Grains.Interfaces.Tracks;

namespace TrackGrains.Grains.Library;

/// <summary>
/// The sync that is running, in the library grain's memory only. Touched on the grain's scheduler
/// alone, so plain fields suffice.
/// </summary>
internal sealed class SyncRun(string syncId, SyncRequest request, string accessToken, DateTimeOffset startedAt)
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string SyncId { get; } = syncId;
    public SyncRequest Request { get; } = request;
    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>The previous sync did not complete: known saved tracks get their enrichment attempt as well.</summary>
    public bool FinishUnfinished { get; init; }

    /// <summary>The user's Spotify token, for this run's calls only; cleared when the run ends.</summary>
    public string? AccessToken { get; set; } = accessToken;

    public TaskCompletionSource<SyncStatus> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next change of progress; a new task follows each change.</summary>
    public Task NextChange => _changed.Task;

    public long Version { get; private set; }

    public int Pages { get; set; }
    public int ItemsScanned { get; set; }
    public int TracksFound { get; set; }
    public int TracksDone { get; private set; }
    public int NullTracks { get; set; }
    public int LocalFiles { get; set; }
    public int Episodes { get; set; }
    public int Duplicates { get; set; }
    public int Malformed { get; set; }
    public int Cached { get; private set; }
    public int Fetched { get; private set; }
    public int NotFound { get; private set; }
    public int Failed { get; private set; }
    public int Added { get; set; }

    /// <summary>While set, the sync waits for the user's next daily SoundCharts budget, which begins then.</summary>
    public DateTimeOffset? WaitingForBudgetUntil { get; private set; }

    /// <summary>Marks the sync as waiting; true for the first worker to find the budget spent.</summary>
    public bool WaitForBudget(DateTimeOffset until)
    {
        if (WaitingForBudgetUntil == until)
        {
            return false;
        }
        WaitingForBudgetUntil = until;
        Changed();
        return true;
    }

    public void BudgetRenewed()
    {
        if (WaitingForBudgetUntil is not null)
        {
            WaitingForBudgetUntil = null;
            Changed();
        }
    }
    public int Removed { get; set; }

    /// <summary>The processed tracks, for the <c>?wait=true</c> answer.</summary>
    public List<SyncedTrack> Tracks { get; } = [];

    public void Skip(SavedItemDecision reason)
    {
        switch (reason)
        {
            case SavedItemDecision.SkipNullTrack: NullTracks++; break;
            case SavedItemDecision.SkipLocalFile: LocalFiles++; break;
            case SavedItemDecision.SkipEpisode: Episodes++; break;
            case SavedItemDecision.SkipDuplicate: Duplicates++; break;
            case SavedItemDecision.SkipMalformed: Malformed++; break;
        }
    }

    public void Record(TrackLookup lookup, DateTimeOffset? addedAt)
    {
        TracksDone++;
        if (lookup.WasCached)
        {
            Cached++;
        }
        else
        {
            switch (lookup.Track.Enrichment.Status)
            {
                case EnrichmentStatus.Enriched: Fetched++; break;
                case EnrichmentStatus.NotFound: NotFound++; break;
                default: Failed++; break;
            }
        }
        Tracks.Add(new SyncedTrack(lookup.Track, addedAt));
        Changed();
    }

    /// <summary>The track's grain call itself failed: it counts as new and not enriched.</summary>
    public void RecordError()
    {
        TracksDone++;
        Failed++;
        Changed();
    }

    public void Changed()
    {
        Version++;
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    public SyncProgress Progress => new(Pages, ItemsScanned, NullTracks + LocalFiles + Episodes + Duplicates + Malformed, TracksFound, TracksDone);

    public SyncStats Stats => new(
        Total: TracksDone,
        Cached: Cached,
        NewFromSpotify: TracksDone - Cached,
        FetchedFromSoundCharts: Fetched,
        NotFound: NotFound,
        Failed: Failed,
        AddedToLibrary: Added,
        RemovedFromLibrary: Removed,
        Skipped: new SkippedItems(NullTracks, LocalFiles, Episodes, Duplicates, Malformed));

    public SyncStatus Running() =>
        new(SyncId, SyncState.Running, Request.CollectionType, Request.Full, StartedAt, null, Progress, null, null, SyncFailure.None, Version)
        {
            WaitingForBudgetUntil = WaitingForBudgetUntil,
        };

    public SyncStatus Finished(DateTimeOffset at, SyncFailure failure, string? error)
    {
        Version++;
        return new(SyncId, failure == SyncFailure.None ? SyncState.Completed : SyncState.Failed, Request.CollectionType, Request.Full,
            StartedAt, at, Progress, Stats, error, failure, Version);
    }
}
