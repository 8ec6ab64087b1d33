using Microsoft.Extensions.Logging;

namespace TrackGrains.Grains.Fetching;

internal static partial class FetchLog
{
    [LoggerMessage(2001, LogLevel.Debug, "Track {TrackId}: key {KeyId} answered {Outcome} ({HttpStatus}) in {ElapsedMs} ms")]
    public static partial void Called(ILogger logger, string trackId, string keyId, string outcome, int? httpStatus, long elapsedMs);

    [LoggerMessage(2002, LogLevel.Warning, "No SoundCharts key can serve track {TrackId}: {Reason}")]
    public static partial void NoKey(ILogger logger, string trackId, string reason);

    [LoggerMessage(2003, LogLevel.Information, "Track {TrackId}: transient SoundCharts fault, retrying within the attempt: {Error}")]
    public static partial void TransientRetry(ILogger logger, string trackId, string? error);

    [LoggerMessage(2004, LogLevel.Warning, "Key {KeyId} could not be reached to return a permit ({Error}); the answer is kept and the permit lapses at its lease")]
    public static partial void PermitNotReturned(ILogger logger, string keyId, string error);

    [LoggerMessage(2005, LogLevel.Warning, "Key {KeyId} could not be reached for a permit ({Error}); trying the other keys")]
    public static partial void KeyUnreachable(ILogger logger, string keyId, string error);
}
