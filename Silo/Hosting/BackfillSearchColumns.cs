using Microsoft.Extensions.Logging;
using TrackGrains.Grains.ReadModel;

namespace TrackGrains.Silo.Hosting;

/// <summary>
/// Fills the library search and export columns of tracks stored before those columns existed, once, at
/// start-up (a no-op query on a current database); several silos starting together only repeat idempotent updates.
/// </summary>
internal sealed partial class BackfillSearchColumns(TrackStore tracks, ILogger<BackfillSearchColumns> logger) : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        var filled = await tracks.BackfillSearchColumnsAsync(cancellationToken: cancellationToken);
        if (filled > 0)
        {
            Filled(logger, filled);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Filled the search and export text of {Count} tracks stored before track_search existed")]
    private static partial void Filled(ILogger logger, int count);
}
