using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.Options;

namespace TrackGrains.Silo.Hosting;

/// <summary>
/// Registers the keys from SoundCharts:Keys:N at start-up; an active key is left as it is, an inactive one is
/// checked again, and one the operator removed through the API stays removed.
/// </summary>
internal sealed partial class ImportConfiguredKeys(IGrainFactory grains, IOptions<SoundChartsOptions> options, ILogger<ImportConfiguredKeys> logger)
    : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        foreach (var key in options.Value.Keys)
        {
            var result = await grains.GetGrain<IKeyRegistryGrain>(0).ImportKeyAsync(key.AppId.Trim(), key.ApiKey.Trim());
            if (result.Outcome == AddKeyOutcome.RemovedByOperator)
            {
                LogRemovedKeyNotImported(logger, result.KeyId, key.AppId.Trim());
            }
        }
    }

    [LoggerMessage(3101, LogLevel.Warning,
        "SoundCharts key {KeyId} (app {AppId}) from SoundCharts:Keys was removed through the API and is not imported again; "
        + "remove it from the configuration, or add it with POST /api/keys/add to use it again")]
    private static partial void LogRemovedKeyNotImported(ILogger logger, string keyId, string appId);
}
