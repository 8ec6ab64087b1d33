using TrackGrains.Grains.Interfaces.Keys;

namespace TrackGrains.Grains.Keys;

public static class KeySnapshots
{
    /// <summary>Every registered key's state, asked of the key grains in parallel; a key half-way through removal is left out.</summary>
    public static async Task<KeySnapshot[]> ReadAllAsync(IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IKeyRegistryGrain>(0).GetKeyIdsAsync();
        var snapshots = await Task.WhenAll(ids.Select(id => grains.GetGrain<IApiKeyGrain>(id).GetSnapshotAsync()));
        return snapshots.Where(s => !s.Removed).ToArray();
    }
}
