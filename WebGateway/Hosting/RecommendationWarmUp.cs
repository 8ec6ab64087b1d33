using TrackGrains.Grains.Recommendations;

namespace TrackGrains.WebGateway.Hosting;

/// <summary>
/// Loads the recommendation index once the gateway has started, so that the first person to ask for
/// recommendations does not wait for it (seconds on a 100,000-track catalogue). Only processes that serve
/// HTTP do this: a silo of a cluster that answers no requests never loads the index at all.
/// </summary>
public sealed partial class RecommendationWarmUp(CatalogueIndex index, IHostApplicationLifetime lifetime, ILogger<RecommendationWarmUp> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // After start-up: the schema is migrated and the server already answers meanwhile.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            {
                await started.Task;
            }
            await index.RefreshAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Not fatal: the first recommendation request loads the index instead.
            LogWarmUpFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The recommendation index could not be loaded at start; the first request will load it")]
    private static partial void LogWarmUpFailed(ILogger logger, Exception exception);
}
