namespace TrackGrains.Grains.Interfaces.Tracks;

/// <summary>One Spotify track (key: its Spotify id). Owns the track's SoundCharts fetch state.</summary>
[Alias("tg.ITrackGrain")]
public interface ITrackGrain : IGrainWithStringKey
{
    /// <summary>Returns the track, fetching it from SoundCharts first when it was never attempted.</summary>
    [Alias("EnsureEnriched")]
    Task<TrackLookup> EnsureEnrichedAsync();

    /// <summary>
    /// As <see cref="EnsureEnrichedAsync"/>, with any SoundCharts call charged to this Spotify user's daily
    /// budget; when that budget is spent, no call is made and <see cref="TrackLookup.BudgetRefused"/> says so.
    /// </summary>
    [Alias("EnsureEnrichedFor")]
    Task<TrackLookup> EnsureEnrichedForAsync(string payingUserId);

    /// <summary>Returns what is known without any upstream call.</summary>
    [Alias("Peek")]
    Task<TrackView> PeekAsync();

    /// <summary>Makes the attempt that <paramref name="trigger"/> calls for, if any is due.</summary>
    [Alias("Retry")]
    Task<RetryResult> RetryAsync(RetryTrigger trigger);

    /// <summary>Stores the Spotify track object as Spotify sent it (from a library sync).</summary>
    [Alias("SetSpotifyData")]
    Task SetSpotifyDataAsync(string spotifyTrackJson);
}
