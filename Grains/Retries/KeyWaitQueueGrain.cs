using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrackGrains.Grains.Options;
using Orleans.Concurrency;
using TrackGrains.Grains.Interfaces.Retries;
using TrackGrains.Grains.Interfaces.Tracks;
using TrackGrains.Grains.ReadModel;

namespace TrackGrains.Grains.Retries;

/// <summary>
/// Resumes tracks that wait for a usable key. The waiting set is the 'pending' rows of failed_requests,
/// so nothing is kept here that a restart could lose; a reminder keeps checking while anything waits,
/// and a timer wakes the tracks when a resting key's window reopens.
/// </summary>
[Reentrant]
public sealed partial class KeyWaitQueueGrain(TrackStore tracks, IOptions<RetryOptions> options, TimeProvider time, ILogger<KeyWaitQueueGrain> logger)
    : Grain, IKeyWaitQueueGrain, IRemindable
{
    private const string ReminderName = "key-wait";
    private IGrainTimer? _reopenTimer;
    private DateTimeOffset? _reopenAt;
    private Task<int>? _running;
    private bool _reminderRegistered;

    public async Task NotifyWaitingAsync(DateTimeOffset? earliestUsableAt)
    {
        if (!_reminderRegistered)
        {
            var period = options.Value.KeyWaitSweepPeriod;
            await this.RegisterOrUpdateReminder(ReminderName, period, period);
            _reminderRegistered = true;
        }
        if (earliestUsableAt is { } at && (_reopenAt is null || at < _reopenAt || _reopenAt <= time.GetUtcNow()))
        {
            _reopenAt = at;
            _reopenTimer?.Dispose();
            var due = at - time.GetUtcNow();
            _reopenTimer = this.RegisterGrainTimer(async () => { _reopenAt = null; await SweepOnceAsync(); },
                new GrainTimerCreationOptions(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan) { Interleave = true });
        }
    }

    public Task WakeAsync() => SweepOnceAsync();

    private Task<int> SweepOnceAsync()
    {
        // One sweep at a time; callers during a sweep share its result.
        if (_running is { IsCompleted: false } running)
        {
            return running;
        }
        _running = SweepAsync();
        return _running;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _reminderRegistered = true;
        await SweepOnceAsync();
        var stillWaiting = await tracks.FailureIdsAsync("pending");
        if (stillWaiting.Count == 0)
        {
            var reminder = await this.GetReminder(ReminderName);
            if (reminder is not null)
            {
                await this.UnregisterReminder(reminder);
            }
            _reminderRegistered = false;
        }
    }

    private async Task<int> SweepAsync()
    {
        var waiting = await tracks.FailureIdsAsync("pending");
        if (waiting.Count > 0)
        {
            LogSweep(logger, waiting.Count);
        }
        return await TrackRetries.RetryAsync(GrainFactory, waiting, RetryTrigger.KeyAvailable, TaskScheduler.Current);
    }

    [LoggerMessage(4001, LogLevel.Information, "Waking {Count} tracks that waited for a SoundCharts key")]
    private static partial void LogSweep(ILogger logger, int count);
}
