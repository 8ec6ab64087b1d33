using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TrackGrains.Grains.Interfaces.Library;
using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.Grains.ReadModel;
using TrackGrains.Grains.Spotify;

namespace TrackGrains.Grains.Library;

/// <summary>
/// One sync's work, run by the library grain on its own scheduler: it walks Spotify page by page,
/// stores each page's tracks (Spotify data in the track grains, saved tracks in library_tracks, playlist
/// membership in playlist_tracks), and
/// feeds them to a fixed set of enrichment workers. Every await here resumes on the grain's
/// scheduler (no Task.Run, no ConfigureAwait(false)), so the run's counters need no locks.
/// </summary>
internal sealed class LibrarySync(
    string userId,
    SyncRun run,
    string accessToken,
    SpotifyApiClient spotify,
    LibraryStore library,
    IGrainFactory grains,
    Action<TimeSpan> keepAlive,
    TimeProvider time,
    ILogger logger,
    bool enrichKnownItems = false)
{
    /// <summary>
    /// Concurrent EnsureEnriched calls. Upstream concurrency is bounded by the key permits; this only
    /// has to be wide enough that the keys, not the sync, set the pace.
    /// </summary>
    public const int Parallelism = 24;

    private const int SavedPageSize = 50;
    private const int PlaylistPageSize = 50;
    private const int PlaylistTracksPageSize = 100;

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>Runs the sync. Returns the new cursor when the saved tracks were walked, else null.</summary>
    public async Task<DateTimeOffset?> RunAsync(DateTimeOffset? cursor)
    {
        var queue = Channel.CreateUnbounded<(string TrackId, DateTimeOffset? AddedAt)>(new UnboundedChannelOptions { SingleWriter = true });
        var workers = Enumerable.Range(0, Parallelism).Select(_ => EnrichAsync(queue.Reader)).ToList();
        try
        {
            DateTimeOffset? newCursor = null;
            if (run.Request.CollectionType is CollectionType.Saved or CollectionType.All)
            {
                newCursor = await SyncSavedAsync(queue.Writer, cursor);
            }
            if (run.Request.CollectionType is CollectionType.Playlists or CollectionType.All)
            {
                await SyncPlaylistsAsync(queue.Writer);
            }
            return newCursor;
        }
        finally
        {
            // Whatever the walk's fate, the tracks already stored get their enrichment attempt.
            queue.Writer.TryComplete();
            await Task.WhenAll(workers);
        }
    }

    private async Task<DateTimeOffset?> SyncSavedAsync(ChannelWriter<(string, DateTimeOffset?)> queue, DateTimeOffset? cursor)
    {
        var known = await library.LoadAsync(userId);
        var incremental = !run.Request.Full && cursor is not null;
        DateTimeOffset? newest = null;

        for (var offset = 0; ; offset += SavedPageSize)
        {
            var page = await spotify.GetSavedTracksAsync(accessToken, offset, SavedPageSize);
            run.Pages++;
            var batch = new List<SpotifyLibraryItem>(page.Items.Count);
            var stop = false;
            foreach (var item in page.Items)
            {
                run.ItemsScanned++;
                var decision = SavedItemRules.Decide(item, known, cursor, incremental, _seen);
                if (decision is SavedItemDecision.Process or SavedItemDecision.Unchanged or SavedItemDecision.Stop
                    && (newest is null || item.AddedAt > newest))
                {
                    newest = item.AddedAt;
                }
                if (decision == SavedItemDecision.Stop)
                {
                    stop = true;
                    break;
                }
                if (decision == SavedItemDecision.Process || (decision == SavedItemDecision.Unchanged && enrichKnownItems))
                {
                    batch.Add(item);
                }
                else
                {
                    run.Skip(decision);
                }
            }

            await StoreSpotifyDataAsync(batch);
            await library.UpsertAsync(userId, batch.Select(i => (i.TrackId!, i.AddedAt!.Value)).ToList());
            run.Added += batch.Count(i => !known.ContainsKey(i.TrackId!));
            Enqueue(queue, batch);

            if (stop || !page.HasNext || page.Items.Count == 0)
            {
                break;
            }
        }

        if (run.Request.Full)
        {
            // The walk saw every saved track, so whatever else is stored the user has unsaved.
            var gone = known.Keys.Where(id => !_seen.Contains(id)).ToList();
            await library.RemoveAsync(userId, gone);
            run.Removed = gone.Count;
            run.Changed();
        }
        return newest;
    }

    /// <summary>
    /// Every playlist, whole: playlists list oldest first and have no cursor. Their tracks are stored
    /// and enriched, but are not saved tracks, so they do not join library_tracks; what each playlist
    /// holds is recorded in playlist_tracks, and once the list was walked to its end, playlists the
    /// user no longer has are forgotten.
    /// </summary>
    private async Task SyncPlaylistsAsync(ChannelWriter<(string, DateTimeOffset?)> queue)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        for (var offset = 0; ; offset += PlaylistPageSize)
        {
            var playlists = await spotify.GetPlaylistsAsync(accessToken, offset, PlaylistPageSize);
            run.Pages++;
            run.Changed();
            foreach (var playlist in playlists.Items.Where(p => p.Id.Length > 0))
            {
                listed.Add(playlist.Id);
                await SyncPlaylistAsync(queue, playlist);
            }
            if (!playlists.HasNext || playlists.Items.Count == 0)
            {
                break;
            }
        }
        await library.RemovePlaylistsExceptAsync(userId, listed);
    }

    private async Task SyncPlaylistAsync(ChannelWriter<(string, DateTimeOffset?)> queue, SpotifyPlaylistRef playlist)
    {
        // Every track of the playlist, also those another playlist or the saved list already brought.
        var members = new List<(string TrackId, DateTimeOffset? AddedAt)>();
        for (var offset = 0; ; offset += PlaylistTracksPageSize)
        {
            SpotifyPage<SpotifyLibraryItem> page;
            try
            {
                page = await spotify.GetPlaylistTracksAsync(accessToken, playlist.Id, offset, PlaylistTracksPageSize);
            }
            catch (SpotifyApiException ex) when (ex.Status is 403 or 404)
            {
                // A playlist that went away or is not readable with these scopes is not worth failing the sync for.
                LibraryLog.PlaylistSkipped(logger, userId, playlist.Id, ex.Status);
                return;
            }
            run.Pages++;
            var batch = new List<SpotifyLibraryItem>(page.Items.Count);
            foreach (var item in page.Items)
            {
                run.ItemsScanned++;
                if (item.Kind == SpotifyItemKind.Track)
                {
                    members.Add((item.TrackId!, item.AddedAt));
                }
                var decision = SavedItemRules.SkipFor(item.Kind)
                    ?? (_seen.Add(item.TrackId!) ? SavedItemDecision.Process : SavedItemDecision.SkipDuplicate);
                if (decision == SavedItemDecision.Process)
                {
                    batch.Add(item);
                }
                else
                {
                    run.Skip(decision);
                }
            }
            await StoreSpotifyDataAsync(batch);
            Enqueue(queue, batch);
            if (!page.HasNext || page.Items.Count == 0)
            {
                await library.ReplacePlaylistAsync(userId, playlist.Id, playlist.Name, members, time.GetUtcNow());
                return;
            }
        }
    }

    /// <summary>Hands each track's Spotify object to its grain; one page (at most 100 calls) at a time.</summary>
    private Task StoreSpotifyDataAsync(List<SpotifyLibraryItem> batch) =>
        Task.WhenAll(batch.Select(i => grains.GetGrain<ITrackGrain>(i.TrackId!).SetSpotifyDataAsync(i.TrackJson!)));

    private void Enqueue(ChannelWriter<(string, DateTimeOffset?)> queue, List<SpotifyLibraryItem> batch)
    {
        foreach (var item in batch)
        {
            queue.TryWrite((item.TrackId!, item.AddedAt));
        }
        run.TracksFound += batch.Count;
        run.Changed();
        keepAlive(TimeSpan.Zero);
    }

    /// <summary>
    /// Enriches one track on the user's budget. When the day's budget is spent the sync does not drop
    /// the track: it says it waits (the sync's status shows until when), stays alive, and asks again
    /// when the next UTC day's budget begins.
    /// </summary>
    private async Task<TrackLookup> EnrichWithinBudgetAsync(string trackId)
    {
        var track = grains.GetGrain<ITrackGrain>(trackId);
        while (true)
        {
            var lookup = await track.EnsureEnrichedForAsync(userId);
            if (lookup.BudgetRefused is not { } refused)
            {
                return lookup;
            }
            var wait = refused.ResetsAt - time.GetUtcNow();
            if (run.WaitForBudget(refused.ResetsAt))
            {
                LibraryLog.WaitingForBudget(logger, userId, run.SyncId, refused.Limit, refused.ResetsAt);
            }
            keepAlive(wait + TimeSpan.FromMinutes(1));
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time);
            }
            run.BudgetRenewed();
        }
    }

    private async Task EnrichAsync(ChannelReader<(string TrackId, DateTimeOffset? AddedAt)> queue)
    {
        while (await queue.WaitToReadAsync())
        {
            while (queue.TryRead(out var track))
            {
                try
                {
                    run.Record(await EnrichWithinBudgetAsync(track.TrackId), track.AddedAt);
                }
                catch (Exception ex)
                {
                    // One track's trouble (a timeout, a storage error) must not end the sync; its grain retries on its own schedule.
                    LibraryLog.TrackFailed(logger, userId, track.TrackId, ex);
                    run.RecordError();
                }
                keepAlive(TimeSpan.Zero);
            }
        }
    }
}
