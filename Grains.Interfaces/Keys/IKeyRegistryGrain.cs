namespace TrackGrains.Grains.Interfaces.Keys;

/// <summary>
/// The list of SoundCharts keys (one per cluster, key 0). Consulted when keys are added or removed or a
/// silo refreshes its key directory, never on the per-call path.
/// </summary>
[Alias("tg.IKeyRegistryGrain")]
public interface IKeyRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>The operator adds a key, or re-adds a known one (which re-checks it if it is inactive).</summary>
    [Alias("AddKey")]
    Task<AddKeyResult> AddKeyAsync(string appId, string apiKey);

    /// <summary>A key from SoundCharts:Keys at start-up: like an add, except that a key the operator removed stays removed.</summary>
    [Alias("ImportKey")]
    Task<AddKeyResult> ImportKeyAsync(string appId, string apiKey);

    /// <summary>Removes a key for good: its secret is erased and no silo calls it again. False for an unknown id.</summary>
    [Alias("RemoveKey")]
    Task<bool> RemoveKeyAsync(string keyId);

    [Alias("GetKeyIds")]
    Task<IReadOnlyList<string>> GetKeyIdsAsync();
}
