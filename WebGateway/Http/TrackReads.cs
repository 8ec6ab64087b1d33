using System.Security.Claims;
using TrackGrains.Grains.Interfaces.Access;
using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.WebGateway.Auth;

namespace TrackGrains.WebGateway.Http;

/// <summary>
/// Track reads on behalf of the caller: a Spotify user's uncached reads are charged to their daily
/// SoundCharts budget; the admin's are not (the admin is exempt).
/// </summary>
public static class TrackReads
{
    public static Task<TrackLookup> EnsureEnrichedAsync(IGrainFactory grains, ClaimsPrincipal caller, string trackId)
    {
        var track = grains.GetGrain<ITrackGrain>(trackId);
        return CurrentUser.SpotifyUserId(caller) is { } userId ? track.EnsureEnrichedForAsync(userId) : track.EnsureEnrichedAsync();
    }

    public static Task<TrackLookup[]> EnsureEnrichedAsync(IGrainFactory grains, ClaimsPrincipal caller, IEnumerable<string> trackIds) =>
        Task.WhenAll(trackIds.Select(id => EnsureEnrichedAsync(grains, caller, id)));

    /// <summary>The 429 for reads the caller's spent budget refused; null when none was refused.</summary>
    public static IResult? BudgetProblem(IReadOnlyCollection<TrackLookup> lookups, TimeProvider time)
    {
        var refused = lookups.Where(l => l.BudgetRefused is not null).ToList();
        if (refused.Count == 0)
        {
            return null;
        }
        var grant = refused[0].BudgetRefused!;
        var which = lookups.Count == 1
            ? $"Track {refused[0].Track.Id} is not stored yet"
            : $"{refused.Count} of the {lookups.Count} tracks ({string.Join(", ", refused.Take(5).Select(l => l.Track.Id))}{(refused.Count > 5 ? ", ..." : "")}) are not stored yet";
        return BudgetSpent(grant, time, which + ", and fetching it from SoundCharts would exceed");
    }

    public static IResult BudgetSpent(BudgetGrant grant, TimeProvider time, string what) =>
        new RetryAfterResult(RetryAfter.SecondsUntil(grant.ResetsAt, time), Problems.Create(StatusCodes.Status429TooManyRequests,
            "Daily SoundCharts budget spent",
            $"{what} your daily budget of {grant.Limit} SoundCharts calls (Access:UserDailySoundChartsCalls). It renews at " +
            $"{grant.ResetsAt:u} (Retry-After). Tracks already stored are still served; ask the operator for a larger budget if you need one."));
}
