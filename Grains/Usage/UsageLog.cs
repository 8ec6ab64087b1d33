using Microsoft.Extensions.Logging;

namespace TrackGrains.Grains.Usage;

internal static partial class UsageLog
{
    [LoggerMessage(7001, LogLevel.Warning, "Could not write usage statistics ({Days} day rows); they are kept in memory and retried at the next flush")]
    public static partial void FlushFailed(ILogger logger, Exception exception, int days);

    [LoggerMessage(7002, LogLevel.Warning, "Usage statistics of {Days} day rows could not be written at shutdown and are lost")]
    public static partial void FinalFlushFailed(ILogger logger, Exception exception, int days);

    [LoggerMessage(7003, LogLevel.Warning, "All {Count} SoundCharts keys are spent or deactivated: uncached tracks wait until a key is added (POST /api/keys/add)")]
    public static partial void AllKeysExhausted(ILogger logger, int count);

    [LoggerMessage(7004, LogLevel.Information, "A SoundCharts key can serve again")]
    public static partial void KeysAvailableAgain(ILogger logger);

    [LoggerMessage(7005, LogLevel.Debug, "Usage background tick failed; the next tick tries again")]
    public static partial void TickFailed(ILogger logger, Exception exception);
}
