using TrackGrains.Grains.Interfaces.Keys;
using TrackGrains.Grains.Interfaces.Retries;

namespace TrackGrains.Grains.Keys;

/// <summary>The cluster's list of key ids. Only key administration and directory refreshes reach it.</summary>
public sealed class KeyRegistryGrain(
    [PersistentState("keyregistry", GrainStorage.Name)] IPersistentState<KeyRegistryState> store,
    KeyDirectory directory) : Grain, IKeyRegistryGrain
{
    public Task<AddKeyResult> AddKeyAsync(string appId, string apiKey) => AddAsync(appId, apiKey, fromConfiguration: false);

    public Task<AddKeyResult> ImportKeyAsync(string appId, string apiKey) => AddAsync(appId, apiKey, fromConfiguration: true);

    public async Task<bool> RemoveKeyAsync(string keyId)
    {
        if (!store.State.KeyIds.Contains(keyId))
        {
            return false;
        }
        // The key grain first: if we crash between the two writes, its secret is already gone and removing again completes.
        await GrainFactory.GetGrain<IApiKeyGrain>(keyId).RemoveAsync();
        store.State.KeyIds.Remove(keyId);
        store.State.RemovedKeyIds.Add(keyId);
        await store.WriteStateAsync();
        directory.Remove(keyId);
        return true;
    }

    public Task<IReadOnlyList<string>> GetKeyIdsAsync() => Task.FromResult<IReadOnlyList<string>>(store.State.KeyIds.ToList());

    private async Task<AddKeyResult> AddAsync(string appId, string apiKey, bool fromConfiguration)
    {
        var keyId = KeyMasking.KeyIdFor(appId, apiKey);
        if (fromConfiguration && store.State.RemovedKeyIds.Contains(keyId))
        {
            return new AddKeyResult(AddKeyOutcome.RemovedByOperator, keyId, null);
        }

        // The key grain first: if we crash between the two writes, adding again completes the registration.
        var result = await GrainFactory.GetGrain<IApiKeyGrain>(keyId).AddAsync(appId, apiKey);
        var registered = store.State.KeyIds.Contains(keyId);
        if (!registered || store.State.RemovedKeyIds.Contains(keyId))
        {
            store.State.RemovedKeyIds.Remove(keyId);
            if (!registered)
            {
                store.State.KeyIds.Add(keyId);
            }
            await store.WriteStateAsync();
        }
        if (!registered && result.Outcome == AddKeyOutcome.AlreadyActive)
        {
            result = result with { Outcome = AddKeyOutcome.Added };
        }

        if (result.Outcome != AddKeyOutcome.AlreadyActive)
        {
            // Work that waited for a key resumes now: this silo's directory sees the key at once (other silos'
            // directories re-read the registry when they have no usable key), and the waiting tracks are woken.
            directory.Invalidate();
            await GrainFactory.GetGrain<IKeyWaitQueueGrain>(0).WakeAsync();
        }
        return result;
    }
}
