using System.Collections.Concurrent;
using TrackGrains.Grains.Interfaces.Keys;

namespace TrackGrains.Grains.Keys;

/// <summary>
/// This silo's cached view of every key's state, refreshed by the answers of the key grains.
/// Key choice reads it instead of asking one pool grain per call, which would serialise the server.
/// </summary>
public sealed class KeyDirectory(IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    /// <summary>With no usable key, the registry is re-read this often: a key added through another silo shows up soon.</summary>
    private static readonly TimeSpan RefreshIntervalWithoutKeys = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, KeySnapshot> _keys = new();
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyCollection<KeySnapshot> Known => _keys.Values.ToList();

    /// <summary>Keys worth asking for a permit, best first: most quota left, unknown state before known (to learn it).</summary>
    public async Task<IReadOnlyList<KeySnapshot>> CandidatesAsync()
    {
        await RefreshIfStaleAsync(_keys.Values.Any(k => k.IsActive) ? RefreshInterval : RefreshIntervalWithoutKeys);
        var now = time.GetUtcNow();
        return _keys.Values
            .Where(k => k.IsActive)
            .OrderBy(k => k.RestingUntil is { } r && r > now ? 1 : 0)
            .ThenByDescending(k => k.QuotaRemaining ?? long.MaxValue)
            .ThenBy(k => k.InFlight)
            .ToList();
    }

    /// <summary>Re-reads every key from its grain when the cached view is older than the refresh interval.</summary>
    public Task RefreshAsync() => RefreshIfStaleAsync(RefreshInterval);

    public void Update(KeySnapshot snapshot)
    {
        if (snapshot.Removed)
        {
            Remove(snapshot.KeyId);
            return;
        }
        _keys[snapshot.KeyId] = snapshot;
        Signal();
    }

    /// <summary>Forgets a removed key. Other silos forget it at their next refresh, or at once if they ask it for a permit.</summary>
    public void Remove(string keyId)
    {
        _keys.TryRemove(keyId, out _);
        Signal();
    }

    /// <summary>Forgets the refresh time so the next choice re-reads the registry (a key was added).</summary>
    public void Invalidate()
    {
        _refreshedAt = DateTimeOffset.MinValue;
        Signal();
    }

    /// <summary>Completes when any key's state changes, or after <paramref name="maxWait"/>.</summary>
    public async Task WaitForChangeAsync(TimeSpan maxWait)
    {
        var changed = _changed.Task;
        if (maxWait <= TimeSpan.Zero)
        {
            return;
        }
        await Task.WhenAny(changed, Task.Delay(maxWait, time));
    }

    private void Signal() => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private async Task RefreshIfStaleAsync(TimeSpan maxAge)
    {
        if (time.GetUtcNow() - _refreshedAt < maxAge)
        {
            return;
        }
        await _refreshLock.WaitAsync();
        try
        {
            if (time.GetUtcNow() - _refreshedAt < maxAge)
            {
                return;
            }
            // Re-reading every key also picks up what other silos' calls changed, and drops keys removed through another silo.
            var snapshots = await KeySnapshots.ReadAllAsync(grains);
            foreach (var snapshot in snapshots)
            {
                _keys[snapshot.KeyId] = snapshot;
            }
            var registered = snapshots.Select(s => s.KeyId).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _keys.Keys.Where(id => !registered.Contains(id)).ToList())
            {
                _keys.TryRemove(gone, out _);
            }
            _refreshedAt = time.GetUtcNow();
        }
        finally
        {
            _refreshLock.Release();
        }
    }
}
