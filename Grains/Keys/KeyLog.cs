using Microsoft.Extensions.Logging;

namespace TrackGrains.Grains.Keys;

internal static partial class KeyLog
{
    [LoggerMessage(1001, LogLevel.Warning, "SoundCharts key {KeyId} deactivated: {Reason}")]
    public static partial void KeyDeactivated(ILogger logger, string keyId, string reason);

    [LoggerMessage(1002, LogLevel.Warning, "SoundCharts key {KeyId} has {QuotaRemaining} calls of quota left")]
    public static partial void QuotaLow(ILogger logger, string keyId, long quotaRemaining);

    [LoggerMessage(1003, LogLevel.Information, "SoundCharts key {KeyId} hit its rate limit; resting until {RestingUntil:o}")]
    public static partial void KeyResting(ILogger logger, string keyId, DateTimeOffset restingUntil);

    [LoggerMessage(1004, LogLevel.Information, "SoundCharts key {KeyId} added for app {AppId} ({MaskedKey})")]
    public static partial void KeyAdded(ILogger logger, string keyId, string appId, string maskedKey);

    [LoggerMessage(1005, LogLevel.Warning, "Could not project key {KeyId} to the read model")]
    public static partial void ProjectionFailed(ILogger logger, Exception exception, string keyId);

    [LoggerMessage(1006, LogLevel.Information, "SoundCharts key {KeyId} is active again: {Why}")]
    public static partial void KeyReactivated(ILogger logger, string keyId, string why);

    [LoggerMessage(1007, LogLevel.Information, "SoundCharts key {KeyId} removed; its secret is erased")]
    public static partial void KeyRemoved(ILogger logger, string keyId);

    [LoggerMessage(1008, LogLevel.Information, "SoundCharts key {KeyId} still has no quota; next check at {NextCheck:o}")]
    public static partial void QuotaStillSpent(ILogger logger, string keyId, DateTimeOffset nextCheck);

    [LoggerMessage(1009, LogLevel.Information, "SoundCharts key {KeyId}: the secret an earlier version stored in clear is now encrypted")]
    public static partial void SecretEncrypted(ILogger logger, string keyId);
}
