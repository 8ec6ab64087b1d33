using TrackGrains.Grains.Interfaces.Keys;

namespace TrackGrains.Grains.Usage;

/// <summary>Warnings derived from key snapshots: no key, every key spent or deactivated, a key's quota running low.</summary>
public static class KeyWarnings
{
    /// <summary>Below this many calls of quota left, a key is worth a warning (SPEC §6).</summary>
    public const long LowQuotaThreshold = 10;

    /// <summary>No key can serve: none is active with quota left (or unknown quota, which may still serve).</summary>
    public static bool AllExhausted(IReadOnlyCollection<KeySnapshot> keys) =>
        keys.Count > 0 && !keys.Any(k => k.IsActive && k.QuotaRemaining is null or > 0);

    public static IReadOnlyList<KeyWarning> For(IReadOnlyCollection<KeySnapshot> keys)
    {
        var warnings = new List<KeyWarning>();
        if (keys.Count == 0)
        {
            warnings.Add(new KeyWarning("noKeys", null,
                "No SoundCharts key is registered, so uncached tracks cannot be fetched. Add one with POST /api/keys/add."));
            return warnings;
        }
        if (AllExhausted(keys))
        {
            warnings.Add(new KeyWarning("allKeysExhausted", null,
                $"All {keys.Count} SoundCharts keys are spent or deactivated ({string.Join("; ", keys.Select(Reason))}). " +
                "Uncached tracks wait in the retry queue; add a key with POST /api/keys/add and they resume at once."));
        }
        foreach (var key in keys.Where(k => k.IsActive && k.QuotaRemaining is > 0 and < LowQuotaThreshold).OrderBy(k => k.KeyId, StringComparer.Ordinal))
        {
            warnings.Add(new KeyWarning("quotaLow", key.KeyId,
                $"SoundCharts key {key.KeyId} (app {key.AppId}) has {key.QuotaRemaining} calls of quota left; add another key before it runs out."));
        }
        return warnings;
    }

    private static string Reason(KeySnapshot k) =>
        $"{k.KeyId}: {(k.IsActive ? "quota 0" : k.DeactivationReason ?? "deactivated")}";
}
