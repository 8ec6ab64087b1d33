using Microsoft.Extensions.Logging;

namespace TrackGrains.Grains.Tracks;

internal static partial class TrackLog
{
    [LoggerMessage(3001, LogLevel.Information, "Track {TrackId}: attempt {Attempt} failed ({ErrorCode}: {Error}); next try at {NextRetryAt:o}")]
    public static partial void AttemptFailed(ILogger logger, string trackId, int attempt, string? errorCode, string? error, DateTimeOffset? nextRetryAt);

    [LoggerMessage(3002, LogLevel.Warning, "Track {TrackId}: enrichment failed for good after {Attempts} attempts: {Error}")]
    public static partial void FailedForGood(ILogger logger, string trackId, int attempts, string? error);

    [LoggerMessage(3003, LogLevel.Information, "Track {TrackId}: repaired from the read model after an interrupted write ({Repair})")]
    public static partial void Repaired(ILogger logger, string trackId, string repair);
}
