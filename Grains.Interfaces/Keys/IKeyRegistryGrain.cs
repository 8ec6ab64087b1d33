namespace TrackGrains.Grains.Interfaces.Keys;

/// <summary>
/// The list of SoundCharts keys (one per cluster, key 0). Consulted when keys are added or a
/// silo refreshes its key directory, never on the per-call path.
/// </summary>
[Alias("tg.IKeyRegistryGrain")]
public interface IKeyRegistryGrain : IGrainWithIntegerKey
{
    [Alias("AddKey")]
    Task<AddKeyResult> AddKeyAsync(string appId, string apiKey);

    [Alias("GetKeyIds")]
    Task<IReadOnlyList<string>> GetKeyIdsAsync();
}
