using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrackGrains.Grains.Hosting;
using TrackGrains.Grains.Options;

namespace TrackGrains.Grains.Recommendations;

/// <summary>
/// Every <see cref="RecommendationOptions.RefreshInterval"/>, brings this process's recommendation index
/// up to date with what other silos enriched. It does nothing until the index is loaded (by the gateway's
/// warm-up or a first request), so a silo that serves no HTTP spends nothing on it.
/// </summary>
public sealed partial class CatalogueRefresher(
    CatalogueIndex index,
    IOptions<RecommendationOptions> options,
    TimeProvider time,
    ILogger<CatalogueRefresher> logger) : BackgroundService
{
    // The database may be away for a while; the next look reads from the same point.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(options.Value.RefreshInterval, time, index.LookForOtherWritersAsync, e => LogLookFailed(logger, e), stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The recommendation index could not look for tracks other silos enriched")]
    private static partial void LogLookFailed(ILogger logger, Exception exception);
}
