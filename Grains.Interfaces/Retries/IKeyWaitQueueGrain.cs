using Orleans.Concurrency;

namespace TrackGrains.Grains.Interfaces.Retries;

/// <summary>
/// Wakes tracks that wait for a SoundCharts key (all spent, all resting, none configured).
/// Which tracks wait is read from the failed_requests read model, so this grain keeps no list of its own.
/// </summary>
[Alias("tg.IKeyWaitQueueGrain")]
public interface IKeyWaitQueueGrain : IGrainWithIntegerKey
{
    /// <summary>A track started waiting; <paramref name="earliestUsableAt"/> is when a resting key reopens, if known.</summary>
    [Alias("NotifyWaiting"), OneWay]
    Task NotifyWaitingAsync(DateTimeOffset? earliestUsableAt);

    /// <summary>A key became usable: try every waiting track now. One-way: the caller does not wait for the sweep.</summary>
    [Alias("Wake"), OneWay]
    Task WakeAsync();
}
