using TrackGrains.Silo.Storage;

namespace TrackGrains.Tests.Storage;

public sealed class StorageProbeGrain(
    [PersistentState("probe", TrackGrains.Grains.GrainStorage.Name)] IPersistentState<StorageProbeState> state)
    : Grain, IStorageProbeGrain
{
    public async Task<int> Write(int value, string? note = null)
    {
        state.State.Value = value;
        state.State.Writes++;
        state.State.Note = note ?? state.State.Note;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Keep memory equal to what is stored, so a failed write can simply be retried.
            state.State.Writes--;
            throw;
        }

        return state.State.Writes;
    }

    public Task<StorageProbeState> Read() => Task.FromResult(state.State);

    public Task<string?> ETag() => Task.FromResult(state.Etag);

    public Task Clear() => state.ClearStateAsync();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
