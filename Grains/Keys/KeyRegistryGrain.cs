using TrackGrains.Grains.Interfaces.Keys;

namespace TrackGrains.Grains.Keys;

/// <summary>The cluster's list of key ids. Only key administration and directory refreshes reach it.</summary>
public sealed class KeyRegistryGrain(
    [PersistentState("keyregistry", GrainStorage.Name)] IPersistentState<KeyRegistryState> store) : Grain, IKeyRegistryGrain
{
    public async Task<AddKeyResult> AddKeyAsync(string appId, string apiKey)
    {
        var keyId = KeyMasking.KeyIdFor(appId, apiKey);
        // The key grain first: if we crash between the two writes, adding again completes the registration.
        await GrainFactory.GetGrain<IApiKeyGrain>(keyId).InitializeAsync(appId, apiKey);
        if (store.State.KeyIds.Contains(keyId))
        {
            return new AddKeyResult(false, keyId);
        }
        store.State.KeyIds.Add(keyId);
        await store.WriteStateAsync();
        return new AddKeyResult(true, keyId);
    }

    public Task<IReadOnlyList<string>> GetKeyIdsAsync() => Task.FromResult<IReadOnlyList<string>>(store.State.KeyIds.ToList());
}
