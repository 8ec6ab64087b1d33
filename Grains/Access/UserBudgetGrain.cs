using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrackGrains.Grains.Interfaces.Access;
using TrackGrains.Grains.Options;
using TrackGrains.Grains.ReadModel;

namespace TrackGrains.Grains.Access;

/// <summary>
/// One user's SoundCharts budget for one UTC day. An attempt reserves a unit before it may call and
/// settles with the calls it really made, so attempts in flight count against the budget (two
/// concurrent reads cannot both take the last unit) and a fetch that made no call costs nothing.
/// Its row in user_usage is its storage: written at once when the day's first call is counted (so
/// the admin sees the user), then at most once a second, and when the grain deactivates.
/// </summary>
public sealed class UserBudgetGrain(
    UserUsageStore usage,
    IOptions<UserBudgetOptions> options,
    TimeProvider time,
    ILogger<UserBudgetGrain> logger) : Grain, IUserBudgetGrain
{
    private static readonly TimeSpan PersistInterval = TimeSpan.FromSeconds(1);

    private string _userId = "";
    private DateOnly _day;
    private long _calls;
    private long _refused;
    private int _inFlight;
    private bool _stored;
    private bool _dirty;
    private IGrainTimer? _persistTimer;

    private long Limit => options.Value.UserDailySoundChartsCalls;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_day, _userId) = UserBudgetKey.Parse(this.GetPrimaryKeyString());
        (_calls, _refused) = await usage.LoadAsync(_userId, _day);
        _stored = _calls > 0 || _refused > 0;
        await base.OnActivateAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await PersistAsync();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async Task<BudgetGrant> TryReserveAsync()
    {
        var resetsAt = UserBudgetKey.NextDayStart(_day);
        if (Limit > 0 && _calls + _inFlight >= Limit)
        {
            if (_refused == 0)
            {
                AccessLog.BudgetSpent(logger, _userId, Limit, resetsAt);
            }
            _refused++;
            await ChangedAsync();
            return new BudgetGrant(false, _calls, Limit, resetsAt);
        }
        _inFlight++;
        return new BudgetGrant(true, _calls, Limit, resetsAt);
    }

    public async Task SettleAsync(int upstreamCalls)
    {
        // A grain that was deactivated in between forgot the reservation; its calls still count.
        _inFlight = Math.Max(0, _inFlight - 1);
        if (upstreamCalls > 0)
        {
            _calls += upstreamCalls;
            await ChangedAsync();
        }
    }

    public Task<UserUsage> GetUsageAsync() => Task.FromResult(new UserUsage(_userId, _day, _calls, _refused, Limit));

    private async Task ChangedAsync()
    {
        _dirty = true;
        if (!_stored)
        {
            await PersistAsync();
            return;
        }
        _persistTimer ??= this.RegisterGrainTimer(static grain => grain.PersistAsync(), this,
            new GrainTimerCreationOptions(PersistInterval, PersistInterval));
    }

    private async Task PersistAsync()
    {
        if (!_dirty)
        {
            _persistTimer?.Dispose();
            _persistTimer = null;
            return;
        }
        _dirty = false;
        await usage.SaveAsync(_userId, _day, _calls, _refused, time.GetUtcNow());
        _stored = true;
    }
}

internal static partial class AccessLog
{
    [LoggerMessage(8101, LogLevel.Information,
        "Spotify user {UserId} has spent the daily budget of {Limit} SoundCharts calls; their uncached reads and syncs wait until {ResetsAt:o}")]
    public static partial void BudgetSpent(ILogger logger, string userId, long limit, DateTimeOffset resetsAt);
}
