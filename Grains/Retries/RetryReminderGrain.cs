using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using TrackGrains.Grains.Interfaces.Retries;
using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.Grains.Options;

namespace TrackGrains.Grains.Retries;

/// <summary>
/// A track's durable retry alarm. The reminder lives in SQLite, so a due retry fires after a
/// restart too; it is removed once its track needs no more wake-ups, so the table does not grow.
/// </summary>
/// <remarks>
/// Reentrant because the call chain is a cycle: a firing calls the track, and the track, having retried,
/// schedules or cancels its reminder here before it answers.
/// </remarks>
[Reentrant]
public sealed class RetryReminderGrain(IOptions<RetryOptions> options, TimeProvider time) : Grain, IRetryReminderGrain, IRemindable
{
    private const string ReminderName = "retry";

    public async Task ScheduleAsync(DateTimeOffset dueAt)
    {
        var due = dueAt - time.GetUtcNow();
        // The period is a safety net: if a firing is lost mid-retry the next one tries again.
        await this.RegisterOrUpdateReminder(ReminderName, due < TimeSpan.Zero ? TimeSpan.Zero : due, options.Value.ReminderPeriod);
    }

    public async Task CancelAsync()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var result = await GrainFactory.GetGrain<ITrackGrain>(this.GetPrimaryKeyString()).RetryAsync(RetryTrigger.Scheduled);
        if (result.NextWakeAt is not { } next)
        {
            await CancelAsync();
        }
        else if (next - time.GetUtcNow() > options.Value.ReminderPeriod)
        {
            await ScheduleAsync(next);
        }
    }
}
