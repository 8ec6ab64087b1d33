using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.Interfaces.Retries;

namespace TrackGrains.Grains.Keys;

/// <summary>The cluster's list of key ids. Only key administration and directory refreshes reach it.</summary>
public sealed class KeyRegistryGrain(
    [PersistentState("keyregistry", GrainStorage.Name)] IPersistentState<KeyRegistryState> store,
    KeyDirectory directory) : Grain, IKeyRegistryGrain
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

        // Work that waited for a key resumes now: this silo's directory sees the key at once (other silos'
        // directories re-read the registry when they have no usable key), and the waiting tracks are woken.
        directory.Invalidate();
        await GrainFactory.GetGrain<IKeyWaitQueueGrain>(0).WakeAsync();
        return new AddKeyResult(true, keyId);
    }

    public Task<IReadOnlyList<string>> GetKeyIdsAsync() => Task.FromResult<IReadOnlyList<string>>(store.State.KeyIds.ToList());
}
