namespace TrackGrains.Grains.Interfaces.Retries;

/// <summary>
/// Durable wake-up for one track (key: Spotify id). Backed by an Orleans reminder, so a
/// retry that is due fires even after the silo restarts.
/// </summary>
[Alias("tg.IRetryReminderGrain")]
public interface IRetryReminderGrain : IGrainWithStringKey
{
    [Alias("Schedule")]
    Task ScheduleAsync(DateTimeOffset dueAt);

    [Alias("Cancel")]
    Task CancelAsync();
}
