using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrackGrains.Grains.Fetching;
using TrackGrains.Grains.Interfaces.Access;
using TrackGrains.Grains.Interfaces.Retries;
using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.Grains.Options;
using TrackGrains.Grains.ReadModel;
using TrackGrains.Grains.SoundCharts;
using TrackGrains.Grains.Spotify;
using TrackGrains.Grains.Usage;

namespace TrackGrains.Grains.Tracks;

/// <summary>
/// One Spotify track. Being single-threaded, it turns any number of concurrent requests for the same
/// uncached track into one SoundCharts call. The payloads are written to the read model before the
/// state that points at them, so an interrupted write is repaired on the next activation instead of
/// being paid for twice.
/// </summary>
public sealed class TrackGrain(
    [PersistentState("track", GrainStorage.Name)] IPersistentState<TrackState> store,
    TrackStore tracks,
    SoundChartsFetcher fetcher,
    UsageCounters usage,
    IOptions<RetryOptions> retryOptions,
    TimeProvider time,
    ILogger<TrackGrain> logger) : Grain, ITrackGrain
{
    private string? _spotifyJson;
    private string? _spotifyFields;
    private SpotifyTrackFacts? _spotify;
    private SongFacts? _song;

    private string TrackId => this.GetPrimaryKeyString();
    private TrackState State => store.State;
    private IReadOnlyList<TimeSpan> Delays => retryOptions.Value.ParsedDelays;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stored = await tracks.LoadAsync(TrackId);
        if (stored?.SpotifyJson is { } spotifyJson)
        {
            _spotifyJson = spotifyJson;
            _spotifyFields = SpotifyObjectFields.Inner(spotifyJson);
            _spotify = SpotifyTrackFacts.Read(spotifyJson);
        }
        if (stored?.SoundChartsJson is { } songJson)
        {
            _song = SongParser.TryParse(songJson);
        }

        if (_song is not null && State.Status != EnrichmentStatus.Enriched)
        {
            // The payload landed but the state write did not: the call was paid for, so keep its result.
            State.Status = EnrichmentStatus.Enriched;
            State.FetchedAt = stored!.SoundChartsFetchedAt ?? time.GetUtcNow();
            State.NextRetryAt = null;
            State.WaitingForKey = false;
            State.LastError = null;
            await store.WriteStateAsync();
            await tracks.DeleteFailureAsync(TrackId);
            TrackLog.Repaired(logger, TrackId, "payload without state");
        }
        else if (State.Status is EnrichmentStatus.Retrying or EnrichmentStatus.Failed || State.WaitingForKey)
        {
            // The failure row may have missed the last state change; rewriting it is idempotent.
            await tracks.UpsertFailureAsync(FailureRowFor(State));
        }
        await base.OnActivateAsync(cancellationToken);
    }

    public Task<TrackLookup> EnsureEnrichedAsync() => EnsureEnrichedAsync(payingUserId: null);

    public Task<TrackLookup> EnsureEnrichedForAsync(string payingUserId) => EnsureEnrichedAsync(payingUserId);

    private async Task<TrackLookup> EnsureEnrichedAsync(string? payingUserId)
    {
        if (State.Status == EnrichmentStatus.Enriched)
        {
            usage.CacheHit();
            return new TrackLookup(View(), WasCached: true, FetchedNow: false, NoKeyAvailable: false);
        }
        var now = time.GetUtcNow();
        if (!TrackTransitions.ShouldAttemptOnRead(State, now))
        {
            return new TrackLookup(View(), false, false, State.WaitingForKey);
        }

        // Only here, on the miss path, is the user's budget asked: a cached read never reaches it, and a
        // request that waited behind another one's fetch found the track enriched above and pays nothing.
        var budget = payingUserId is null ? null : GrainFactory.GetGrain<IUserBudgetGrain>(UserBudgetKey.For(payingUserId, now));
        if (budget is not null && await budget.TryReserveAsync() is { Granted: false } refused)
        {
            return new TrackLookup(View(), false, false, false, refused);
        }
        FetchOutcome outcome;
        try
        {
            outcome = await AttemptAsync(RetryTrigger.Scheduled);
        }
        catch
        {
            // Whether the call went out is unknown: count it, as the key accounting does.
            if (budget is not null)
            {
                await budget.SettleAsync(1);
            }
            throw;
        }
        if (budget is not null)
        {
            await budget.SettleAsync(outcome.UpstreamCalls);
        }
        return new TrackLookup(View(), false, outcome.Kind == FetchKind.Success, outcome.Kind == FetchKind.NoKey);
    }

    public Task<TrackView> PeekAsync() => Task.FromResult(View());

    public async Task<RetryResult> RetryAsync(RetryTrigger trigger)
    {
        var attempted = false;
        if (TrackTransitions.ShouldAttempt(State, trigger, time.GetUtcNow()))
        {
            await AttemptAsync(trigger);
            attempted = true;
        }
        var wake = State.Status is EnrichmentStatus.Retrying or EnrichmentStatus.NotFound && !(State.Status == EnrichmentStatus.NotFound && State.NotFoundRechecked)
            ? State.NextRetryAt
            : null;
        return new RetryResult(attempted, State.Status, wake);
    }

    public async Task SetSpotifyDataAsync(string spotifyTrackJson)
    {
        if (spotifyTrackJson == _spotifyJson)
        {
            return;
        }
        var facts = SpotifyTrackFacts.Read(spotifyTrackJson);
        await tracks.SaveSpotifyAsync(TrackId, spotifyTrackJson, facts, time.GetUtcNow());
        _spotifyJson = spotifyTrackJson;
        _spotifyFields = SpotifyObjectFields.Inner(spotifyTrackJson);
        _spotify = facts;
    }

    private async Task<FetchOutcome> AttemptAsync(RetryTrigger trigger)
    {
        var outcome = await fetcher.FetchAsync(TrackId);
        var now = time.GetUtcNow();
        var wasScheduled = State.NextRetryAt is not null;
        // Only a track that was ever in trouble can have a failed_requests row to remove.
        var mayHaveFailureRow = State.Status is EnrichmentStatus.Retrying or EnrichmentStatus.Failed || State.WaitingForKey || State.TotalAttempts > 0;

        if (outcome.Kind == FetchKind.Success && outcome.Body is { } body && outcome.Song is { } song)
        {
            await tracks.SaveSoundChartsAsync(TrackId, body, song, now);
            _song = song;
        }

        TrackTransitions.Apply(State, outcome, trigger, Delays, retryOptions.Value.NotFoundRecheck, now);

        var needsReminder = State.Status is EnrichmentStatus.Retrying
            || (State.Status == EnrichmentStatus.NotFound && !State.NotFoundRechecked);
        try
        {
            if (needsReminder && State.NextRetryAt is { } due)
            {
                // Scheduled before the state is written: a crash in between leaves a harmless extra wake-up, never a lost one.
                await GrainFactory.GetGrain<IRetryReminderGrain>(TrackId).ScheduleAsync(due);
            }

            await store.WriteStateAsync();
        }
        catch
        {
            // The outcome is now only in memory, perhaps "retrying" with no reminder behind it (the reminder's grain
            // was on a silo that died): nothing would ever wake this track, and reads do not attempt a retrying one.
            // Dropping the activation makes the next call start again from storage, whose reminders match it.
            DeactivateOnIdle();
            throw;
        }

        if (State.Status is EnrichmentStatus.Retrying or EnrichmentStatus.Failed || State.WaitingForKey)
        {
            await tracks.UpsertFailureAsync(FailureRowFor(State));
        }
        else if (outcome.Kind != FetchKind.NoKey && mayHaveFailureRow)
        {
            await tracks.DeleteFailureAsync(TrackId);
        }

        if (!needsReminder && wasScheduled)
        {
            await GrainFactory.GetGrain<IRetryReminderGrain>(TrackId).CancelAsync();
        }
        if (State.WaitingForKey)
        {
            await GrainFactory.GetGrain<IKeyWaitQueueGrain>(0).NotifyWaitingAsync(outcome.RetryAt);
        }

        switch (State.Status)
        {
            case EnrichmentStatus.Retrying:
                TrackLog.AttemptFailed(logger, TrackId, State.Attempts, State.LastErrorCode, State.LastError, State.NextRetryAt);
                break;
            case EnrichmentStatus.Failed when outcome.Kind != FetchKind.NoKey:
                TrackLog.FailedForGood(logger, TrackId, State.TotalAttempts, State.LastError);
                break;
        }
        return outcome;
    }

    private FailureRow FailureRowFor(TrackState s) => new(
        TrackId,
        s.WaitingForKey && s.Status == EnrichmentStatus.Pending ? "pending" : TrackTransitions.StatusName(s.Status),
        s.LastError,
        s.LastErrorCode,
        s.LastHttpStatus,
        s.Attempts,
        Delays.Count,
        s.LastAttemptAt,
        s.NextRetryAt);

    private TrackView View()
    {
        var s = State;
        return new TrackView(
            TrackId,
            _spotify?.Name ?? _song?.Name,
            _spotifyFields,
            _song?.Uuid,
            _spotify?.Isrc ?? _song?.Isrc,
            _song?.Audio,
            new EnrichmentInfo(s.Status, s.FetchedAt, s.TotalAttempts, s.NextRetryAt, s.LastError),
            _spotify?.DurationMs ?? _song?.DurationSeconds * 1000);
    }
}
