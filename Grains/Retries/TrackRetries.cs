using TrackGrains.Grains.Interfaces.Tracks;

namespace TrackGrains.Grains.Retries;

/// <summary>Retries many tracks with bounded parallelism: the key wait queue's sweep and the operator's retry-failed.</summary>
public static class TrackRetries
{
    public const int Parallelism = 16;

    /// <summary>Returns how many of the tracks are enriched afterwards.</summary>
    /// <param name="scheduler">Inside a grain, <see cref="TaskScheduler.Current"/>, so the fan-out stays on the grain's scheduler.</param>
    public static async Task<int> RetryAsync(IGrainFactory grains, IEnumerable<string> trackIds, RetryTrigger trigger,
        TaskScheduler? scheduler = null, CancellationToken cancellationToken = default)
    {
        var enriched = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
        if (scheduler is not null)
        {
            options.TaskScheduler = scheduler;
        }
        await Parallel.ForEachAsync(trackIds, options, async (id, _) =>
        {
            var result = await grains.GetGrain<ITrackGrain>(id).RetryAsync(trigger);
            if (result.Status == EnrichmentStatus.Enriched)
            {
                Interlocked.Increment(ref enriched);
            }
        });
        return enriched;
    }
}
