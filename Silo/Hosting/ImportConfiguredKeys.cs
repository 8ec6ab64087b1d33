using Microsoft.Extensions.Options;
using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.Options;

namespace TrackGrains.Silo.Hosting;

/// <summary>Registers the keys from SoundCharts:Keys:N at start-up; adding an existing key changes nothing.</summary>
internal sealed class ImportConfiguredKeys(IGrainFactory grains, IOptions<SoundChartsOptions> options) : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        foreach (var key in options.Value.Keys)
        {
            await grains.GetGrain<IKeyRegistryGrain>(0).AddKeyAsync(key.AppId.Trim(), key.ApiKey.Trim());
        }
    }
}
