using Orleans.Concurrency;

namespace TrackGrains.Grains.Interfaces.Keys;

/// <summary>
/// One SoundCharts key (key: its key id). Serialises the key's quota and rate-limit accounting:
/// it grants a permit per call only while the key has room, so concurrent callers can never both
/// spend the last unit.
/// </summary>
[Alias("tg.IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores the credentials (a new key), or checks a known inactive key and takes it into service again;
    /// a known active key is left as it is. Either way the free usage endpoint is asked before any quota is spent.
    /// </summary>
    [Alias("Add")]
    Task<AddKeyResult> AddAsync(string appId, string apiKey);

    /// <summary>Erases the secret and every trace of the key's state; it grants no permit afterwards. Idempotent.</summary>
    [Alias("Remove")]
    Task RemoveAsync();

    /// <summary>
    /// Interleaves with the grain's writes: it decides from memory without awaiting anything, so it sees every
    /// change made before the write began, and a permit need not wait for a database write of routine counters.
    /// </summary>
    [Alias("TryAcquirePermit"), AlwaysInterleave]
    Task<PermitDecision> TryAcquirePermitAsync();

    /// <summary>Returns a permit; idempotent (a second completion of the same permit is ignored).</summary>
    [Alias("CompletePermit")]
    Task<KeySnapshot> CompletePermitAsync(PermitCompletion completion);

    [Alias("GetSnapshot"), AlwaysInterleave]
    Task<KeySnapshot> GetSnapshotAsync();
}
