namespace TrackGrains.Grains.Interfaces.Access;

/// <summary>
/// One Spotify user's SoundCharts calls on one UTC day (key: <see cref="UserBudgetKey"/>). Only the
/// miss path asks it, once per attempt: a cached read never does, so it is never a hot grain; and
/// being one activation in the cluster, its count holds across silos.
/// </summary>
[Alias("tg.IUserBudgetGrain")]
public interface IUserBudgetGrain : IGrainWithStringKey
{
    /// <summary>Reserves one attempt's worth of calls, or refuses when the day's budget is spent.</summary>
    [Alias("TryReserve")]
    Task<BudgetGrant> TryReserveAsync();

    /// <summary>Ends a granted reservation with the SoundCharts calls the attempt really made (0 when none).</summary>
    [Alias("Settle")]
    Task SettleAsync(int upstreamCalls);

    [Alias("GetUsage")]
    Task<UserUsage> GetUsageAsync();
}
