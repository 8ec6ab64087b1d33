namespace TrackGrains.Grains.Interfaces.Keys;

/// <summary>
/// One SoundCharts key (key: its key id). Serialises the key's quota and rate-limit accounting:
/// it grants a permit per call only while the key has room, so concurrent callers can never both
/// spend the last unit.
/// </summary>
[Alias("tg.IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Stores the credentials; idempotent for the same credentials.</summary>
    [Alias("Initialize")]
    Task<KeySnapshot> InitializeAsync(string appId, string apiKey);

    [Alias("TryAcquirePermit")]
    Task<PermitDecision> TryAcquirePermitAsync();

    /// <summary>Returns a permit; idempotent (a second completion of the same permit is ignored).</summary>
    [Alias("CompletePermit")]
    Task<KeySnapshot> CompletePermitAsync(PermitCompletion completion);

    [Alias("GetSnapshot")]
    Task<KeySnapshot> GetSnapshotAsync();
}
