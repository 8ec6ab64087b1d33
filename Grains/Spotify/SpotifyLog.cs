using Microsoft.Extensions.Logging;

namespace TrackGrains.Grains.Spotify;

internal static partial class SpotifyLog
{
    [LoggerMessage(6101, LogLevel.Information, "Spotify rate limit on {Path}: waiting {Wait} before retry {Retry}")]
    public static partial void RateLimited(ILogger logger, string path, TimeSpan wait, int retry);

    [LoggerMessage(6102, LogLevel.Information, "Spotify answered {Status} on {Path}: waiting {Wait} before retry {Retry}")]
    public static partial void TransientFault(ILogger logger, string path, int status, TimeSpan wait, int retry);
}
